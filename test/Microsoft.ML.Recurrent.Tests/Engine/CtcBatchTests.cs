using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The scaled, parallel CTC batch path agrees with the log-space reference on every kind of target.</summary>
[TestClass]
[DoNotParallelize]
public sealed class CtcBatchTests
{
    [TestMethod]
    public void BatchMatchesTheLogSpaceReferenceSequenceBySequence()
    {
        const int frames = 12, classes = 5;
        var random = new Random(3);
        int[][] targets = [[1, 2, 3], [2, 2], [], [1, 1, 1, 1, 1, 1, 1], [4, 3, 2, 1, 2, 3, 4], [3]];
        float[] logits = [.. Enumerable.Range(0, targets.Length * frames * classes).Select(_ => (random.NextSingle() - 0.5f) * 6)];
        logits[5 * frames * classes] = 80f; // a near one-hot frame in the last sequence
        foreach (bool zeroInfinity in new[] { false, true })
        {
            float[] gradient = new float[logits.Length];
            double[] losses = new double[targets.Length];
            double total = CtcBatch.Compute(logits, frames, classes, targets, blank: 0, zeroInfinity, gradient, losses);
            double expectedTotal = 0;
            for (int b = 0; b < targets.Length; b++)
            {
                float[] expectedGradient = new float[frames * classes];
                double expected = CtcLoss.Compute(logits.AsSpan(b * frames * classes, frames * classes), classes, targets[b], 0, zeroInfinity, expectedGradient);
                expectedTotal += expected;
                if (double.IsInfinity(expected)) Assert.IsTrue(double.IsPositiveInfinity(losses[b]), $"sequence {b}");
                else Assert.AreEqual(expected, losses[b], 1e-9 * (1 + Math.Abs(expected)), $"loss of sequence {b}");
                for (int i = 0; i < expectedGradient.Length; i++)
                    Assert.AreEqual(expectedGradient[i], gradient[b * frames * classes + i], 1e-5f, $"gradient of sequence {b} at {i}");
            }
            if (double.IsInfinity(expectedTotal)) Assert.IsTrue(double.IsPositiveInfinity(total));
            else Assert.AreEqual(expectedTotal, total, 1e-9 * expectedTotal);
        }
    }

    [TestMethod]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        const int frames = 30, classes = 7;
        var random = new Random(4);
        int[][] targets = [.. Enumerable.Range(0, 9).Select(_ => Enumerable.Range(0, random.Next(1, 10)).Select(_ => random.Next(1, classes)).ToArray())];
        float[] logits = [.. Enumerable.Range(0, targets.Length * frames * classes).Select(_ => random.NextSingle() * 4)];
        float[] Run(int threads)
        {
            return OnThreads.Run(threads, () =>
            {
                float[] gradient = new float[logits.Length];
                CtcBatch.Compute(logits, frames, classes, targets, 0, false, gradient);
                return gradient;
            });
        }
        CollectionAssert.AreEqual(Run(1), Run(2));
    }

    [TestMethod]
    public void BadTargetsAndShapesAreRejected()
    {
        float[] logits = new float[2 * 3 * 4], gradient = new float[logits.Length];
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CtcBatch.Compute(logits, 3, 4, [[1], [0]], 0, false, gradient));
        var error = Assert.ThrowsExactly<ArgumentException>(() => CtcBatch.Compute(logits, 4, 4, [[1], [2]], 0, false, gradient));
        StringAssert.Contains(error.Message, "B*T*C");
    }
}
