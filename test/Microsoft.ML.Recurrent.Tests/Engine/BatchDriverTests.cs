using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The CRF and CTC batch drivers over a packed layout equal the per-sequence references, at any thread count.</summary>
[TestClass]
[DoNotParallelize]
public sealed class BatchDriverTests
{
    private static readonly int[] Lengths = [5, 1, 3, 7, 2, 7];

    private static (SequenceLayout Layout, int[] Order) Layout() => (SequenceLayout.Sort(Lengths, -1, out int[] order), order);

    private static LinearChainCrf RandomCrf(int k, int seed)
    {
        var random = new Random(seed);
        var crf = new LinearChainCrf(k);
        foreach (Parameter p in crf.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = random.NextSingle() * 2 - 1;
        return crf;
    }

    [TestMethod]
    public void CrfBatchEqualsTheCrfSequenceBySequence()
    {
        const int k = 4;
        (SequenceLayout layout, _) = Layout();
        var random = new Random(2);
        float[] emissions = [.. Enumerable.Range(0, layout.TotalSteps * k).Select(_ => random.NextSingle() * 4 - 2)];
        int[] tags = [.. Enumerable.Range(0, layout.TotalSteps).Select(_ => random.Next(k))];
        LinearChainCrf reference = RandomCrf(k, 3), batched = RandomCrf(k, 3);

        double expected = 0;
        float[] expectedD = new float[emissions.Length];
        for (int b = 0; b < layout.BatchSize; b++)
        {
            int steps = layout.Lengths[b];
            float[] e = new float[steps * k], d = new float[steps * k];
            layout.CopySequence(b, emissions, k, e);
            int[] t = [.. Enumerable.Range(0, steps).Select(s => tags[layout.Row(s, b)])];
            expected -= reference.LogLikelihood(e, t, -0.5f, d);
            layout.WriteSequence(b, d, k, expectedD);
        }
        float[] dEmissions = new float[emissions.Length];
        double loss = new CrfBatch(batched).NegativeLogLikelihood(layout, emissions, tags, 0.5f, dEmissions);
        Assert.AreEqual(expected, loss, 1e-9 * Math.Abs(expected));
        for (int i = 0; i < dEmissions.Length; i++) Assert.AreEqual(expectedD[i], dEmissions[i], 1e-6f, $"dEmissions[{i}]");
        for (int p = 0; p < 3; p++)
            for (int i = 0; i < reference.Parameters[p].Size; i++)
                Assert.AreEqual(reference.Parameters[p].Gradient[i], batched.Parameters[p].Gradient[i], 1e-5f, $"{reference.Parameters[p].Name}[{i}]");
    }

    [TestMethod]
    public void CrfBatchDecodesAndGivesMarginalsLikeTheCrf()
    {
        const int k = 5;
        (SequenceLayout layout, _) = Layout();
        var random = new Random(4);
        float[] emissions = [.. Enumerable.Range(0, layout.TotalSteps * k).Select(_ => random.NextSingle() * 4 - 2)];
        LinearChainCrf crf = RandomCrf(k, 5);
        var constraints = TagConstraints.Bio(["O", "B-X", "I-X", "B-Y", "I-Y"]);
        int[] decoded = new int[layout.TotalSteps];
        float[] marginals = new float[emissions.Length];
        var batch = new CrfBatch(crf);
        batch.Decode(layout, emissions, constraints, decoded);
        batch.Marginals(layout, emissions, marginals);
        for (int b = 0; b < layout.BatchSize; b++)
        {
            int steps = layout.Lengths[b];
            float[] e = new float[steps * k], m = new float[steps * k], got = new float[steps * k];
            layout.CopySequence(b, emissions, k, e);
            (int[] path, _) = crf.Viterbi(e, constraints);
            CollectionAssert.AreEqual(path, Enumerable.Range(0, steps).Select(t => decoded[layout.Row(t, b)]).ToArray(), $"sequence {b}");
            crf.Marginals(e, m);
            layout.CopySequence(b, marginals, k, got);
            CollectionAssert.AreEqual(m, got, $"marginals of sequence {b}");
        }
    }

    [TestMethod]
    public void CrfBatchResultsDoNotDependOnTheThreadCount()
    {
        const int k = 6;
        (SequenceLayout layout, _) = Layout();
        var random = new Random(6);
        float[] emissions = [.. Enumerable.Range(0, layout.TotalSteps * k).Select(_ => random.NextSingle() * 4 - 2)];
        int[] tags = [.. Enumerable.Range(0, layout.TotalSteps).Select(_ => random.Next(k))];
        float[][] Run(int threads) => OnThreads.Run(threads, () =>
        {
            LinearChainCrf crf = RandomCrf(k, 7);
            float[] d = new float[emissions.Length];
            double loss = new CrfBatch(crf).NegativeLogLikelihood(layout, emissions, tags, 1f, d);
            return (float[][])[d, [(float)loss], .. crf.Parameters.Select(p => p.Gradient)];
        });
        float[][] one = Run(1), two = Run(2);
        for (int i = 0; i < one.Length; i++) CollectionAssert.AreEqual(one[i], two[i], $"array {i}");
    }

    [TestMethod]
    public void CtcOverALayoutEqualsTheLogSpaceReferencePerSequence()
    {
        const int classes = 5;
        (SequenceLayout layout, _) = Layout();
        var random = new Random(8);
        float[] logits = [.. Enumerable.Range(0, layout.TotalSteps * classes).Select(_ => random.NextSingle() * 3)];
        int[][] targets = [.. Enumerable.Range(0, layout.BatchSize).Select(b => Enumerable.Range(0, random.Next(0, Math.Min(3, layout.Lengths[b]) + 1)).Select(_ => random.Next(1, classes)).ToArray())];
        float[] gradient = new float[logits.Length];
        double[] losses = new double[layout.BatchSize];
        double total = OnThreads.Run(2, () => CtcBatch.Compute(layout, logits, classes, targets, 0, false, gradient, losses));
        double expectedTotal = 0;
        for (int b = 0; b < layout.BatchSize; b++)
        {
            int frames = layout.Lengths[b];
            float[] x = new float[frames * classes], g = new float[frames * classes], got = new float[frames * classes];
            layout.CopySequence(b, logits, classes, x);
            double expected = CtcLoss.Compute(x, classes, targets[b], 0, false, g);
            expectedTotal += expected;
            Assert.AreEqual(expected, losses[b], 1e-9 * (1 + Math.Abs(expected)), $"loss of sequence {b}");
            layout.CopySequence(b, gradient, classes, got);
            for (int i = 0; i < g.Length; i++) Assert.AreEqual(g[i], got[i], 1e-5f, $"gradient of sequence {b} at {i}");
        }
        Assert.AreEqual(expectedTotal, total, 1e-9 * expectedTotal);
    }
}
