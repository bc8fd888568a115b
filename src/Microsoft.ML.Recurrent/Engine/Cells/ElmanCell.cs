using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>
/// Elman (simple) recurrent cell: <c>h = act(x W_ih^T + b_ih + h_prev W_hh^T + b_hh)</c> with
/// act = tanh or ReLU. IRNN is the ReLU cell with an identity-initialized <c>W_hh</c>
/// (see <see cref="Initializers.Initializer.Identity"/>).
/// </summary>
internal sealed class ElmanCell : RecurrentCell
{
    /// <summary>Creates an Elman cell.</summary>
    /// <param name="hiddenSize">H.</param>
    /// <param name="relu">ReLU activation when true, tanh otherwise.</param>
    public ElmanCell(int hiddenSize, bool relu = false) : base(hiddenSize) => UsesRelu = relu;

    /// <summary>Whether the activation is ReLU (otherwise tanh).</summary>
    public bool UsesRelu { get; }

    /// <inheritdoc/>
    public override int GateCount => 1;

    /// <inheritdoc/>
    public override void ForwardStep(int rows, Span<float> gates, Span<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c,
        RecurrentWeights weights, Span<float> scratch)
    {
        RecurrentProduct(rows, hPrev, weights, 0, 1, gates, HiddenSize, accumulate: true);
        ForwardActivation(rows, gates, saved, cPrev, h, c, 0, HiddenSize);
    }

    /// <inheritdoc/>
    internal override StepStrategy Strategy => StepStrategy.Separable;

    /// <inheritdoc/>
    internal override void ForwardActivation(int rows, Span<float> gates, Span<float> saved, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c, int firstUnit, int unitCount)
    {
        int hs = HiddenSize;
        if (unitCount == hs) Activate(gates.Slice(0, rows * hs), h.Slice(0, rows * hs));
        else for (int r = 0; r < rows; r++) Activate(gates.Slice(r * hs + firstUnit, unitCount), h.Slice(r * hs + firstUnit, unitCount));
    }

    private void Activate(ReadOnlySpan<float> preActivation, Span<float> h)
    {
        if (UsesRelu) TensorPrimitives.Max(preActivation, 0f, h);
        else Activation.Tanh(preActivation, h);
    }

    /// <inheritdoc/>
    internal override void BackwardActivation(int rows, Span<float> gates, ReadOnlySpan<float> saved, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> h, ReadOnlySpan<float> c, ReadOnlySpan<float> dh, Span<float> dc)
    {
        int n = rows * HiddenSize;
        for (int i = 0; i < n; i++)
        {
            float y = h[i];
            gates[i] = UsesRelu ? (y > 0f ? dh[i] : 0f) : dh[i] * (1f - y * y);
        }
    }

    /// <inheritdoc/>
    public override void BackwardStep(int rows, Span<float> gates, ReadOnlySpan<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> h, ReadOnlySpan<float> c,
        Span<float> dh, Span<float> dc, RecurrentWeights weights, Span<float> scratch)
    {
        BackwardActivation(rows, gates, saved, cPrev, h, c, dh, dc);
        RecurrentProductBackward(rows, gates, HiddenSize, hPrev, weights, 0, 1, dh, accumulateState: false);
    }
}
