using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>Attention gradients by finite differences for every score, with masked positions, and the masking itself.</summary>
[TestClass]
public sealed class AttentionTests
{
    [TestMethod]
    [DataRow(AttentionScore.Additive)]
    [DataRow(AttentionScore.General)]
    [DataRow(AttentionScore.Dot)]
    [DataRow(AttentionScore.ScaledDot)]
    public void GradientsMatchFiniteDifferences(AttentionScore score)
    {
        const int B = 3, S = 5, Q = 4;
        int k = score is AttentionScore.Dot or AttentionScore.ScaledDot ? Q : 6;
        var random = new Random((int)score + 1);
        var attention = new Attention(score, Q, k, attentionSize: 3);
        foreach (var p in attention.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = random.NextSingle() - 0.5f;
        int[] lengths = [5, 2, 4];
        float[] query = [.. Enumerable.Range(0, B * Q).Select(_ => random.NextSingle() - 0.5f)], keys = [.. Enumerable.Range(0, B * S * k).Select(_ => random.NextSingle() - 0.5f)];
        float[] gc = [.. Enumerable.Range(0, B * k).Select(_ => random.NextSingle() - 0.5f)], gw = [.. Enumerable.Range(0, B * S).Select(_ => random.NextSingle() - 0.5f)];
        float[] scores = new float[B * S], weights = new float[B * S], context = new float[B * k];
        double Loss()
        {
            attention.Forward(lengths, query, keys, scores, weights, context);
            return FiniteDifferences.Dot(context, gc) + FiniteDifferences.Dot(weights, gw);
        }
        Loss();
        for (int b = 0; b < B; b++)
            for (int s = lengths[b]; s < S; s++) Assert.AreEqual(0f, weights[b * S + s], $"masked weight [{b}, {s}]");
        float[] dQuery = new float[B * Q], dKeys = new float[B * S * k];
        attention.Backward(gc, gw, dQuery, dKeys);
        FiniteDifferences.Check("query", query, dQuery, Loss);
        FiniteDifferences.Check("keys", keys, dKeys, Loss, samples: 40);
        foreach (var p in attention.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss);
        for (int b = 0; b < B; b++)
            for (int s = lengths[b]; s < S; s++)
                for (int c = 0; c < k; c++) Assert.AreEqual(0f, dKeys[(b * S + s) * k + c], "a masked key gets no gradient");
    }

    [TestMethod]
    public void BadShapesAreRefused()
    {
        var attention = new Attention(AttentionScore.Dot, 2, 2);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => attention.Forward([0], new float[2], new float[4], new float[2], new float[2], new float[2])).Message, "lengths[0] = 0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Attention(AttentionScore.Dot, 2, 3)).Message, "one width");
    }
}
