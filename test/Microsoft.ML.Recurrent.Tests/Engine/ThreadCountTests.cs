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
