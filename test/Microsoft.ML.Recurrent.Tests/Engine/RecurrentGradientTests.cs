using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>Finite-difference checks of every cell in a 2-layer bidirectional network with variable lengths.</summary>
[TestClass]
public sealed class RecurrentGradientTests
{
    [TestMethod]
    [DataRow(CellType.Lstm)]
    [DataRow(CellType.PeepholeLstm)]
    [DataRow(CellType.Gru)]
    [DataRow(CellType.GruResetBefore)]
    [DataRow(CellType.ElmanTanh)]
    [DataRow(CellType.ElmanRelu)]
    public void StackedBidirectionalNetworkGradientsMatchFiniteDifferences(CellType cell)
    {
        const int input = 3, hidden = 4, layers = 2;
        var random = new Random(3);
        var net = new RecurrentNetwork(cell, input, hidden, layers, bidirectional: true);
        foreach (var p in net.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        var layout = SequenceLayout.FromSortedLengths([5, 3, 3, 1]);
        int n = layout.TotalSteps, states = layers * 2 * layout.BatchSize * hidden;
        float[] x = Randoms(random, n * input), h0 = Randoms(random, states), c0 = net.HasCellState ? Randoms(random, states) : [];
        float[] r = Randoms(random, n * net.OutputSize), s = Randoms(random, states), q = net.HasCellState ? Randoms(random, states) : [];
        float[] output = new float[n * net.OutputSize], hN = new float[states], cN = new float[c0.Length];

        double Loss()
        {
            net.Forward(layout, x, h0, c0, output, hN, cN);
            return FiniteDifferences.Dot(output, r) + FiniteDifferences.Dot(hN, s) + FiniteDifferences.Dot(cN, q);
        }

        Loss();
        float[] dx = new float[x.Length], dh0 = new float[states], dc0 = new float[c0.Length];
        net.Backward(layout, x, h0, c0, output, r, s, q, dx, dh0, dc0);
        var grads = net.Parameters.ToDictionary(p => p.Name, p => p.Gradient.ToArray());
        float eps = cell == CellType.ElmanRelu ? 1e-3f : 1e-2f;
        FiniteDifferences.Check("x", x, dx, Loss, eps: eps);
        FiniteDifferences.Check("h0", h0, dh0, Loss, eps: eps);
        if (net.HasCellState) FiniteDifferences.Check("c0", c0, dc0, Loss, eps: eps);
        foreach (var p in net.Parameters) FiniteDifferences.Check(p.Name, p.Value, grads[p.Name], Loss, samples: 8, eps: eps);
    }

    [TestMethod]
    public void JordanGradientsMatchFiniteDifferences()
    {
        var random = new Random(5);
        var layer = new JordanLayer(3, 4, 2);
        foreach (var p in layer.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        var layout = SequenceLayout.FromSortedLengths([4, 2, 1]);
        float[] x = Randoms(random, layout.TotalSteps * 3), y0 = Randoms(random, 3 * 2), r = Randoms(random, layout.TotalSteps * 2), s = Randoms(random, 6);
        float[] y = new float[r.Length], yN = new float[6];
        double Loss() { layer.Forward(layout, x, y0, y, yN); return FiniteDifferences.Dot(y, r) + FiniteDifferences.Dot(yN, s); }
        Loss();
        float[] dx = new float[x.Length], dy0 = new float[6];
        layer.Backward(layout, x, y0, y, r, s, dx, dy0);
        var grads = layer.Parameters.ToDictionary(p => p.Name, p => p.Gradient.ToArray());
        FiniteDifferences.Check("x", x, dx, Loss);
        FiniteDifferences.Check("y0", y0, dy0, Loss);
        foreach (var p in layer.Parameters) FiniteDifferences.Check(p.Name, p.Value, grads[p.Name], Loss);
    }

    [TestMethod]
    public void PaddingIsNeverTouchedSoAShortSequenceMatchesItsOwnRun()
    {
        var random = new Random(9);
        var net = new RecurrentNetwork(CellType.Lstm, 2, 3, 1, bidirectional: true);
        foreach (var p in net.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        // Sequence of length 2 batched with a longer one, versus alone.
        var both = SequenceLayout.FromSortedLengths([4, 2]);
        float[] x = Randoms(random, both.TotalSteps * 2);
        float[] outBoth = new float[both.TotalSteps * 6], hBoth = new float[2 * 2 * 3];
        net.Forward(both, x, default, default, outBoth, hBoth, default);
        var alone = SequenceLayout.FromSortedLengths([2]);
        float[] xAlone = [x[both.Row(0, 1) * 2], x[both.Row(0, 1) * 2 + 1], x[both.Row(1, 1) * 2], x[both.Row(1, 1) * 2 + 1]];
        float[] outAlone = new float[12], hAlone = new float[2 * 3];
        net.Forward(alone, xAlone, default, default, outAlone, hAlone, default);
        for (int t = 0; t < 2; t++)
            for (int j = 0; j < 6; j++) Assert.AreEqual(outAlone[t * 6 + j], outBoth[both.Row(t, 1) * 6 + j], 1e-6f);
        for (int d = 0; d < 2; d++)
            for (int j = 0; j < 3; j++) Assert.AreEqual(hAlone[d * 3 + j], hBoth[(d * 2 + 1) * 3 + j], 1e-6f);
    }

    [TestMethod]
    public void NonFiniteInputIsRejectedWithItsIndex()
    {
        var net = new RecurrentNetwork(CellType.Gru, 2, 3);
        var layout = SequenceLayout.FromSortedLengths([2]);
        float[] x = [0, 1, float.NaN, 0];
        var e = Assert.ThrowsExactly<ArgumentException>(() => net.Forward(layout, x, default, default, new float[6], default, default));
        StringAssert.Contains(e.Message, "input[2] is NaN");
    }

    [TestMethod]
    public void MismatchedShapesAreRejectedWithTheExpectedShape()
    {
        var net = new RecurrentNetwork(CellType.Lstm, 2, 3, numLayers: 2);
        var layout = SequenceLayout.FromSortedLengths([2, 1]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => net.Forward(layout, new float[5], default, default, new float[9], default, default));
        StringAssert.Contains(e.Message, "input must hold 6 values ([N=3, I=2])");
        e = Assert.ThrowsExactly<ArgumentException>(() => net.Forward(layout, new float[6], new float[5], default, new float[9], default, default));
        StringAssert.Contains(e.Message, "h0 must hold 12 values ([L*D=2, B=2, H=3])");
    }

    [TestMethod]
    public void BackwardRejectsInitialStatesOfTheWrongShape()
    {
        var layer = new RecurrentLayer(CellType.Lstm, 2, 3);
        var layout = SequenceLayout.FromSortedLengths([2, 1]);
        float[] x = new float[6], y = new float[9];
        layer.Forward(layout, x, default, default, y, 3, default, default);
        var e = Assert.ThrowsExactly<ArgumentException>(() => layer.Backward(layout, x, new float[5], default, y, new float[9], 3, default, default, default, false, default, default));
        StringAssert.Contains(e.Message, "h0 must hold 6 values ([B=2, H=3])");
        e = Assert.ThrowsExactly<ArgumentException>(() => layer.Backward(layout, x, default, new float[7], y, new float[9], 3, default, default, default, false, default, default));
        StringAssert.Contains(e.Message, "c0 must hold 6 values");

        var net = new RecurrentNetwork(CellType.Gru, 2, 3);
        net.Forward(layout, x, default, default, y, default, default);
        e = Assert.ThrowsExactly<ArgumentException>(() => net.Backward(layout, x, new float[4], default, y, new float[9], default, default, default, default, default));
        StringAssert.Contains(e.Message, "h0 must hold 6 values");
    }

    [TestMethod]
    public void DropoutBetweenLayersHasExactGradientsAndIsOffAtInference()
    {
        var random = new Random(6);
        var net = new RecurrentNetwork(CellType.Gru, 3, 5, numLayers: 3, bidirectional: true) { InterLayerDropout = 0.4f };
        foreach (var p in net.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        var layout = SequenceLayout.FromSortedLengths([4, 2]);
        float[] x = Randoms(random, layout.TotalSteps * 3), r = Randoms(random, layout.TotalSteps * 10);
        float[] y = new float[r.Length], plain = new float[r.Length], dx = new float[x.Length];
        // The same seed gives the same masks, so the loss is a fixed function of the inputs and weights.
        double Loss() { net.Forward(layout, x, default, default, y, default, default, training: true, new Random(42)); return FiniteDifferences.Dot(y, r); }
        Loss();
        net.Backward(layout, x, default, default, y, r, default, default, dx, default, default);
        FiniteDifferences.Check("x", x, dx, Loss);
        foreach (var p in net.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss, samples: 8);

        net.Forward(layout, x, default, default, plain, default, default);
        var reference = new RecurrentNetwork(CellType.Gru, 3, 5, numLayers: 3, bidirectional: true);
        for (int i = 0; i < net.Parameters.Count; i++) reference.Parameters[i].Load(net.Parameters[i].Value);
        float[] expected = new float[r.Length];
        reference.Forward(layout, x, default, default, expected, default, default);
        CollectionAssert.AreEqual(expected, plain, "inference ignores dropout");
        CollectionAssert.AreNotEqual(expected, y, "training drops something");
    }
}
