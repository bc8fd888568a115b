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
    [DataRow(AttentionScore.Additive)]
    [DataRow(AttentionScore.General)]
    [DataRow(AttentionScore.ScaledDot)]
    public void StepsOverPreparedKeysBackpropagateTogether(AttentionScore score)
    {
        // A decoder's use: keys prepared once, three steps, backward step by step in reverse, then the keys once.
        const int B = 2, S = 4, Q = 3, Steps = 3;
        int k = score == AttentionScore.ScaledDot ? Q : 5;
        var random = new Random(7 + (int)score);
        var attention = new Attention(score, Q, k, attentionSize: 4);
        foreach (var p in attention.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = random.NextSingle() - 0.5f;
        int[] lengths = [4, 3];
        float[] Randoms(int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f)];
        float[] keys = Randoms(B * S * k);
        float[][] queries = [.. Enumerable.Range(0, Steps).Select(_ => Randoms(B * Q))];
        float[][] gc = [.. Enumerable.Range(0, Steps).Select(_ => Randoms(B * k))], gw = [.. Enumerable.Range(0, Steps).Select(_ => Randoms(B * S))];
        float[] scores = new float[B * S], weights = new float[B * S], context = new float[B * k];
        double Loss()
        {
            attention.Prepare(lengths, keys);
            double total = 0;
            for (int t = 0; t < Steps; t++)
            {
                attention.Forward(queries[t], scores, weights, context);
                total += FiniteDifferences.Dot(context, gc[t]) + FiniteDifferences.Dot(weights, gw[t]);
            }
            return total;
        }
        Loss();
        Assert.AreEqual(Steps, attention.Steps);
        float[][] dQueries = [.. Enumerable.Range(0, Steps).Select(_ => new float[B * Q])];
        for (int t = Steps - 1; t >= 0; t--) attention.BackwardStep(t, gc[t], gw[t], dQueries[t]);
        float[] dKeys = new float[B * S * k];
        attention.BackwardKeys(dKeys);
        for (int t = 0; t < Steps; t++) FiniteDifferences.Check($"query {t}", queries[t], dQueries[t], Loss);
        FiniteDifferences.Check("keys", keys, dKeys, Loss, samples: 40);
        foreach (var p in attention.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => attention.BackwardStep(Steps, gc[0], gw[0], dQueries[0])).Message, "was not run forward");
    }

    [TestMethod]
    public void BadShapesAreRefused()
    {
        var attention = new Attention(AttentionScore.Dot, 2, 2);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => attention.Forward([0], new float[2], new float[4], new float[2], new float[2], new float[2])).Message, "lengths[0] = 0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Attention(AttentionScore.Dot, 2, 3)).Message, "one width");
    }
}
