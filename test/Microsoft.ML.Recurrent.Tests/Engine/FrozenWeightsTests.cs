using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// A frozen network packs its weights once and reuses them: outputs must equal the unfrozen network's bit for bit,
/// freezing again must pick up changed weights, and training it must be refused.
/// </summary>
[TestClass]
public sealed class FrozenWeightsTests
{
    [TestMethod]
    [DataRow(CellType.Lstm, 1, 16)]   // matrix-vector steps over packed row blocks, prepacked input projection
    [DataRow(CellType.Gru, 2, 20)]    // small batch, plain row blocks
    [DataRow(CellType.Lstm, 12, 32)]  // packed-panel steps, split by units
    [DataRow(CellType.ElmanTanh, 9, 20)]
    public void FrozenOutputsEqualUnfrozenOutputs(CellType cell, int sequences, int hidden)
    {
        var (net, layout, x) = Build(cell, sequences, hidden);
        float[] expected = Forward(net, layout, x);
        net.Frozen = true;
        CollectionAssert.AreEqual(expected, Forward(net, layout, x), "first frozen call (packs)");
        CollectionAssert.AreEqual(expected, Forward(net, layout, x), "second frozen call (reuses the packed weights)");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(12)]
    public void FreezingAgainPacksChangedWeights(int sequences)
    {
        var (net, layout, x) = Build(CellType.Lstm, sequences, 16);
        net.Frozen = true;
        float[] before = Forward(net, layout, x);
        foreach (Parameter p in net.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] *= 1.5f;

        net.Frozen = true;
        float[] refrozen = Forward(net, layout, x);
        net.Frozen = false;
        float[] unfrozen = Forward(net, layout, x);
        CollectionAssert.AreEqual(unfrozen, refrozen, "freezing again packs the current weights");
        CollectionAssert.AreNotEqual(before, unfrozen, "the weight change must change the output");
    }

    [TestMethod]
    public void BackwardIsRefusedWhileFrozen()
    {
        var (net, layout, x) = Build(CellType.Gru, 3, 8);
        net.Frozen = true;
        float[] y = Forward(net, layout, x);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            net.Backward(layout, x, default, default, y, new float[y.Length], default, default, default, default, default));
        StringAssert.Contains(e.Message, "Frozen");
    }

    private static (RecurrentNetwork Net, SequenceLayout Layout, float[] X) Build(CellType cell, int sequences, int hidden)
    {
        var random = new Random(11);
        var net = new RecurrentNetwork(cell, 6, hidden, numLayers: 2, bidirectional: true);
        foreach (Parameter p in net.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = (random.NextSingle() - 0.5f) * 2f / MathF.Sqrt(hidden);
        int[] lengths = [.. Enumerable.Range(0, sequences).Select(_ => random.Next(1, 12))];
        SequenceLayout layout = SequenceLayout.Sort(lengths, -1, out _);
        float[] x = [.. Enumerable.Range(0, layout.TotalSteps * 6).Select(_ => random.NextSingle() - 0.5f)];
        return (net, layout, x);
    }

    private static float[] Forward(RecurrentNetwork net, SequenceLayout layout, float[] x)
    {
        float[] y = new float[layout.TotalSteps * net.OutputSize];
        net.Forward(layout, x, default, default, y, default, default);
        return y;
    }
}
