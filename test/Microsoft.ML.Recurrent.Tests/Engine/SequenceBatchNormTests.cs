using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>Sequence-wise batch normalization and the clipped ReLU: gradients by finite differences, statistics, and the edges.</summary>
[TestClass]
public sealed class SequenceBatchNormTests
{
    [TestMethod]
    public void GradientsMatchFiniteDifferencesAndTheBatchIsNormalized()
    {
        const int N = 9, F = 4;
        var random = new Random(1);
        var norm = new SequenceBatchNorm(F);
        for (int c = 0; c < F; c++) { norm.Weight.Value[c] = 0.5f + random.NextSingle(); norm.Bias.Value[c] = random.NextSingle() - 0.5f; }
        float[] x = [.. Enumerable.Range(0, N * F).Select(_ => 3 * random.NextSingle() - 1)], dy = [.. Enumerable.Range(0, N * F).Select(_ => random.NextSingle() - 0.5f)];
        float[] y = new float[x.Length], dx = new float[x.Length];
        double Loss()
        {
            var fresh = new SequenceBatchNorm(F);
            norm.Weight.Value.CopyTo(fresh.Weight.Value, 0);
            norm.Bias.Value.CopyTo(fresh.Bias.Value, 0);
            fresh.Forward(x, y, training: true);
            return FiniteDifferences.Dot(y, dy);
        }
        norm.Forward(x, y, training: true);
        for (int c = 0; c < F; c++)
        {
            // (y - beta) / gamma has mean 0 and (biased) variance 1 over the batch.
            double[] z = [.. Enumerable.Range(0, N).Select(r => (y[r * F + c] - norm.Bias.Value[c]) / norm.Weight.Value[c])];
            Assert.AreEqual(0, z.Average(), 1e-5);
            Assert.AreEqual(1, z.Select(v => v * v).Average(), 1e-3);
        }
        norm.Backward(dy, dx);
        FiniteDifferences.Check("input", x, dx, Loss, samples: 36);
        FiniteDifferences.Check("weight", norm.Weight.Value, norm.Weight.Gradient.ToArray(), Loss);
        FiniteDifferences.Check("bias", norm.Bias.Value, norm.Bias.Gradient.ToArray(), Loss);
    }

    [TestMethod]
    public void TheClippedReluPassesGradientsInsideItsRangeOnly()
    {
        float[] x = [-1f, 0.5f, 19f, 21f], y = new float[4], dx = new float[4];
        ClippedRelu.Forward(x, y);
        CollectionAssert.AreEqual(new[] { 0f, 0.5f, 19f, 20f }, y);
        ClippedRelu.Backward(x, [1f, 1f, 1f, 1f], dx);
        CollectionAssert.AreEqual(new[] { 0f, 1f, 1f, 0f }, dx);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SequenceBatchNorm(2).Forward(new float[2], new float[2], training: true)).Message, "at least two steps");
    }
}
