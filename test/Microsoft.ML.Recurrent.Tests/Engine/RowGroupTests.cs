using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// A frozen layer's large-batch forward pass runs each thread's rows through the whole sequence (row groups) instead of
/// splitting every step: outputs and final states must equal the step-by-step pass's bit for bit, with variable lengths,
/// initial states and the reverse direction (whose rows start late), and the threads must meet once a pass.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class RowGroupTests
{
    [TestMethod]
    [DataRow(CellType.Lstm, false, 160, true)]
    [DataRow(CellType.Lstm, true, 160, true)]
    [DataRow(CellType.PeepholeLstm, false, 160, true)]
    [DataRow(CellType.Gru, false, 160, true)]
    [DataRow(CellType.Gru, true, 160, true)]
    [DataRow(CellType.ElmanRelu, true, 320, true)]
    [DataRow(CellType.GruResetBefore, true, 160, false)]   // unpacked partial products: stays step by step
    [DataRow(CellType.Lstm, false, 320, false)]            // a 1.6 MB W_hh: each thread keeps its share of the units in cache
    public void FrozenRowGroupsGiveTheBitsOfTheStepByStepPass(CellType cell, bool reverse, int hidden, bool grouped)
    {
        const int batch = 64, input = 5;
        var random = new Random(5);
        var layer = new RecurrentLayer(cell, input, hidden, reverse);
        foreach (Parameter p in layer.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = (random.NextSingle() - 0.5f) * 0.3f;
        SequenceLayout layout = SequenceLayout.Sort([.. Enumerable.Range(0, batch).Select(_ => random.Next(1, 31))], -1, out _);
        float[] x = Values(layout.TotalSteps * input, random), h0 = Values(batch * hidden, random);
        float[] c0 = layer.HasCellState ? Values(batch * hidden, random) : [];

        (float[] y, float[] hN, float[] cN) Forward()
        {
            float[] y = new float[layout.TotalSteps * hidden], hN = new float[batch * hidden], cN = new float[layer.HasCellState ? batch * hidden : 0];
            layer.Forward(layout, x, h0, c0, y, hidden, hN, cN);
            return (y, hN, cN);
        }

        (var stepwise, long stepJobs) = Counted(() => OnThreads.Run(2, Forward));
        layer.Frozen = true;
        (var frozen, long groupJobs) = Counted(() => OnThreads.Run(2, Forward));
        var single = OnThreads.Run(1, Forward);
        Assert.IsGreaterThan(layout.MaxLength / 2L, stepJobs, "the unfrozen pass splits its steps one by one");
        if (!grouped) Assert.IsGreaterThan(layout.MaxLength / 2L, groupJobs, "this frozen pass stays step by step");
        else Assert.IsLessThan(4L, groupJobs, $"the frozen pass meets for packing, the projection and once for all steps ({groupJobs} jobs; step by step {stepJobs})");
        foreach (var (name, expected, actual, alone) in new[] { ("y", stepwise.y, frozen.y, single.y), ("hN", stepwise.hN, frozen.hN, single.hN), ("cN", stepwise.cN, frozen.cN, single.cN) })
        {
            CollectionAssert.AreEqual(expected, actual, $"{name}: frozen against the step-by-step pass");
            CollectionAssert.AreEqual(expected, alone, $"{name}: one thread against two");
        }
    }

    private static (T Result, long Jobs) Counted<T>(Func<T> body)
    {
        long before = WorkerPool.ParallelJobsOnThisThread;
        T result = body();
        return (result, WorkerPool.ParallelJobsOnThisThread - before);
    }

    private static float[] Values(int count, Random random) => [.. Enumerable.Range(0, count).Select(_ => random.NextSingle() - 0.5f)];
}
