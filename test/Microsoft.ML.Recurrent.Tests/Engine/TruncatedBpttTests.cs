using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// Truncated BPTT runs a long batch in windows of k steps, carrying each window's final states into
/// the next as constants (no gradient crosses a window boundary). Forward values must equal one
/// full pass.
/// </summary>
[TestClass]
public sealed class TruncatedBpttTests
{
    [TestMethod]
    public void WindowsCarryStatesSoForwardValuesEqualOneFullPass()
    {
        var (net, layout, x) = Setup();
        int h = net.HiddenSize, width = net.OutputSize;
        float[] full = new float[layout.TotalSteps * width];
        net.Forward(layout, x, default, default, full, default, default);

        float[] chunked = new float[full.Length], h0 = new float[layout.BatchSize * h], c0 = new float[h0.Length];
        for (int start = 0; start < layout.MaxLength; start += 3)
        {
            SequenceLayout window = layout.Window(start, 3);
            int row0 = layout.StepOffset(start), b = window.BatchSize;
            float[] hN = new float[b * h], cN = new float[b * h];
            net.Forward(window, x.AsSpan(row0 * 2, window.TotalSteps * 2), h0.AsSpan(0, b * h), c0.AsSpan(0, b * h),
                chunked.AsSpan(row0 * width, window.TotalSteps * width), hN, cN);
            hN.CopyTo(h0, 0);
            cN.CopyTo(c0, 0);
        }
        for (int i = 0; i < full.Length; i++) Assert.AreEqual(full[i], chunked[i], 1e-5f, $"output[{i}]");
    }

    [TestMethod]
    public void WindowsKeepOnlyActiveSequencesWithClippedLengths()
    {
        var layout = SequenceLayout.FromSortedLengths([7, 5, 2]);
        var window = layout.Window(3, 3);
        CollectionAssert.AreEqual(new[] { 3, 2 }, window.Lengths.ToArray());
        Assert.AreEqual(layout.StepOffset(6) - layout.StepOffset(3), window.TotalSteps);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => layout.Window(7, 2));
    }

    private static (RecurrentNetwork Net, SequenceLayout Layout, float[] X) Setup()
    {
        var random = new Random(21);
        var net = new RecurrentNetwork(CellType.Lstm, 2, 3);
        foreach (var p in net.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        var layout = SequenceLayout.FromSortedLengths([7, 5, 2]);
        return (net, layout, Randoms(random, layout.TotalSteps * 2));
    }
}
