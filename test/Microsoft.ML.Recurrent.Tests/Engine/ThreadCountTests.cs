using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// Large batches and wide small batches take the parallel paths (unit- or row-split steps, split products); outputs and every gradient
/// must be bit-identical at one and two threads, and equal to the small-batch reference within rounding.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ThreadCountTests
{
    [TestMethod]
    [DataRow(AttentionScore.Additive)]
    [DataRow(AttentionScore.General)]
    public void AttentionStepsAreBitIdenticalAtOneAndTwoThreads(AttentionScore score)
    {
        // B x S x P = 16 x 12 x 256 hidden values: the step is split over sequences.
        const int B = 16, S = 12, Q = 256, K = 128;
        var random = new Random(5);
        var attention = new Attention(score, Q, K, attentionSize: 256);
        foreach (Parameter p in attention.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = (random.NextSingle() - 0.5f) * 0.2f;
        int[] lengths = [.. Enumerable.Range(0, B).Select(b => 1 + b % S)];
        float[] keys = [.. Enumerable.Range(0, B * S * K).Select(_ => random.NextSingle() - 0.5f)];
        float[][] queries = [.. Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, B * Q).Select(_ => random.NextSingle() - 0.5f).ToArray())];
        float[] Run()
        {
            float[] scores = new float[B * S], weights = new float[B * S], context = new float[B * K];
            var all = new List<float>();
            attention.Prepare(lengths, keys);
            foreach (float[] query in queries)
            {
                attention.Forward(query, scores, weights, context);
                all.AddRange(scores.Concat(weights).Concat(context));
            }
            return [.. all];
        }
        float[] one = OnThreads.Run(1, Run), two = OnThreads.Run(2, Run);
        CollectionAssert.AreEqual(one, two);
    }

    [TestMethod]
    [DataRow(CellType.Lstm)]
    [DataRow(CellType.PeepholeLstm)]
    [DataRow(CellType.Gru)]
    [DataRow(CellType.GruResetBefore)]
    [DataRow(CellType.ElmanTanh)]
    [DataRow(CellType.Lstm, 96, 64)]
    [DataRow(CellType.ElmanTanh, 192, 64)]
    [DataRow(CellType.Lstm, 128, 3)]
    [DataRow(CellType.ElmanTanh, 256, 2)]
    public void ResultsDoNotDependOnTheThreadCount(CellType cell, int hidden = 20, int sequences = 40)
    {
        // H a multiple of 16 and a step product of >= 4 MFLOP make forward steps split by units; H = 20 splits by rows.
        // Under four sequences, steps are matrix-vector products over gate-interleaved row blocks, split by units from 0.1 MFLOP.
        // A bidirectional net runs its two directions at once on two threads; a unidirectional one splits each step.
        foreach (bool bidirectional in new[] { false, true })
        {
            float[][] one = Run(cell, hidden, sequences, bidirectional, threads: 1), two = Run(cell, hidden, sequences, bidirectional, threads: 2);
            Assert.HasCount(one.Length, two);
            for (int i = 0; i < one.Length; i++) CollectionAssert.AreEqual(one[i], two[i], $"{cell}, bidirectional {bidirectional}: array {i} differs between 1 and 2 threads");
        }
    }

    /// <summary>Output, input gradient and all parameter gradients of a 2-layer net.</summary>
    private static float[][] Run(CellType cell, int hidden, int sequences, bool bidirectional, int threads)
    {
        return OnThreads.Run<float[][]>(threads, () =>
        {
            var random = new Random(5);
            var net = new RecurrentNetwork(cell, 7, hidden, numLayers: 2, bidirectional);
            foreach (Parameter p in net.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = (random.NextSingle() - 0.5f) * 4f / MathF.Sqrt(hidden);
            int[] lengths = [.. Enumerable.Range(0, sequences).Select(_ => random.Next(1, 9))];
            SequenceLayout layout = SequenceLayout.Sort(lengths, -1, out _);
            float[] x = [.. Enumerable.Range(0, layout.TotalSteps * 7).Select(_ => random.NextSingle() - 0.5f)];
            float[] y = new float[layout.TotalSteps * net.OutputSize], dx = new float[x.Length];
            float[] dy = [.. Enumerable.Range(0, y.Length).Select(_ => random.NextSingle() - 0.5f)];
            net.Forward(layout, x, default, default, y, default, default);
            net.Backward(layout, x, default, default, y, dy, default, default, dx, default, default);
            return [y, dx, .. net.Parameters.Select(p => p.Gradient.ToArray())];
        });
    }
}
