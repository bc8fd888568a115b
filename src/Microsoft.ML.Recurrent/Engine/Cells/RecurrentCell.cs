using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>
/// The per-step recurrence of one cell type. The owning <see cref="Layers.RecurrentLayer"/> computes
/// the input projection <c>x W_ih^T + b_ih</c> for all steps in one product and hands the cell the
/// rows of one step; the cell adds the recurrent part (<c>W_hh</c>, <c>b_hh</c> and any extras) and
/// applies its gate math.
/// </summary>
/// <remarks>
/// Dims legend: R = active rows at this step (B_t), H = hidden size, G = <see cref="GateCount"/>.
/// Parameter order rule for both step methods: sizes, saved activations, previous state, new state,
/// gradients, weights, scratch. <c>gates</c> is [R, G*H] in both passes: forward turns the input
/// projection into what backward needs (usually the activated gates); backward turns that into the
/// gradient of the input projection's pre-activation, which the layer then backpropagates to
/// <c>x</c>, <c>W_ih</c> and <c>b_ih</c>.
/// </remarks>
internal abstract class RecurrentCell
{
    /// <summary>Creates the cell for hidden size <paramref name="hiddenSize"/>.</summary>
    protected RecurrentCell(int hiddenSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        HiddenSize = hiddenSize;
    }

    /// <summary>Hidden size H.</summary>
    public int HiddenSize { get; }

    /// <summary>Number of gate blocks G in <c>W_ih</c> / <c>W_hh</c> (LSTM 4, GRU 3, Elman 1).</summary>
    public abstract int GateCount { get; }

    /// <summary>Whether the cell carries a cell state <c>c</c> besides <c>h</c> (LSTM).</summary>
    public virtual bool HasCellState => false;

    /// <summary>Floats per row that forward saves for backward besides the gates and states.</summary>
    public virtual int SavedWidth => 0;

    /// <summary>Trainable tensors the cell owns besides the four standard weights (e.g. peepholes).</summary>
    public virtual IReadOnlyList<Parameter> ExtraParameters => [];

    /// <summary>Scratch floats per row the cell needs (the layer provides R times this).</summary>
    public virtual int ScratchWidth => GateCount * HiddenSize + HiddenSize;

    /// <summary>How the layer may run and split this cell's steps (one named strategy instead of separate flags).</summary>
    internal virtual StepStrategy Strategy => StepStrategy.SelfContained;

    /// <summary>
    /// Whether every backward step backpropagates the recurrent product over all gates with state
    /// h_prev, so the layer can collect its gradient over all steps and form the weight gradient in
    /// one product (false when the product is split, as in the reset-before GRU).
    /// </summary>
    internal bool DefersRecurrentGradient => Strategy != StepStrategy.SelfContained;

    /// <summary>
    /// Whether <see cref="ForwardStep"/> is exactly the full recurrent product accumulated into
    /// <c>gates</c> followed by <see cref="ForwardActivation"/>, and <see cref="BackwardStep"/> is
    /// <see cref="BackwardActivation"/> followed by the product's backward (state gradient from the
    /// gate gradient, weight gradient deferred). The layer then runs the products split by columns and
    /// the activations split by rows.
    /// </summary>
    internal bool HasSeparableStep => Strategy is StepStrategy.Separable or StepStrategy.SeparableSharedBackward;

    /// <summary>
    /// The gate math of a forward step for units [<paramref name="firstUnit"/>, +<paramref name="unitCount"/>) of every row,
    /// after the recurrent product was added to those units' gates (spans cover whole rows).
    /// </summary>
    internal virtual void ForwardActivation(int rows, Span<float> gates, Span<float> saved, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c, int firstUnit, int unitCount) =>
        throw new NotSupportedException($"{GetType().Name} has no separable step.");

    /// <summary>The gate math of a backward step: turns <paramref name="gates"/> into the gate gradient and updates <paramref name="dc"/>; <paramref name="dh"/> is read, not replaced.</summary>
    internal virtual void BackwardActivation(int rows, Span<float> gates, ReadOnlySpan<float> saved, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> h, ReadOnlySpan<float> c, ReadOnlySpan<float> dh, Span<float> dc) =>
        throw new NotSupportedException($"{GetType().Name} has no separable step.");

    /// <summary>Whether a backward step may run on disjoint row ranges in parallel (no gradient shared between rows is accumulated during the step).</summary>
    internal bool RowsIndependentInBackward => Strategy is StepStrategy.Separable or StepStrategy.FusedDeferred;

    /// <summary>Whether the cell adds the whole recurrent product (with <c>b_hh</c>) to the gate pre-activations, so the layer may add <c>b_hh</c> with <c>b_ih</c> once for all steps.</summary>
    internal bool AddsRecurrentProductToGates => HasSeparableStep;

    /// <summary>Whether the deferred recurrent gradient is exactly the gate gradient left in <c>gates</c> (so nothing needs copying).</summary>
    internal bool RecurrentGradientIsGateGradient => HasSeparableStep;

    /// <summary>One forward step.</summary>
    /// <param name="rows">R, the active rows.</param>
    /// <param name="gates">[R, G*H] in: input projection with b_ih; out: what backward needs.</param>
    /// <param name="saved">[R, <see cref="SavedWidth"/>] out: extra activations for backward.</param>
    /// <param name="hPrev">[R, H] previous hidden state.</param>
    /// <param name="cPrev">[R, H] previous cell state (empty when <see cref="HasCellState"/> is false).</param>
    /// <param name="h">[R, H] out: new hidden state.</param>
    /// <param name="c">[R, H] out: new cell state (empty when none).</param>
    /// <param name="weights">The recurrent weights.</param>
    /// <param name="scratch">[R, <see cref="ScratchWidth"/>] work space.</param>
    public abstract void ForwardStep(int rows, Span<float> gates, Span<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c,
        RecurrentWeights weights, Span<float> scratch);

    /// <summary>One backward step; accumulates into the weights' gradients.</summary>
    /// <param name="rows">R, the active rows.</param>
    /// <param name="gates">[R, G*H] in: what forward saved; out: gradient of the input projection.</param>
    /// <param name="saved">[R, <see cref="SavedWidth"/>] what forward saved.</param>
    /// <param name="hPrev">[R, H] previous hidden state.</param>
    /// <param name="cPrev">[R, H] previous cell state (empty when none).</param>
    /// <param name="h">[R, H] the step's new hidden state.</param>
    /// <param name="c">[R, H] the step's new cell state (empty when none).</param>
    /// <param name="dh">[R, H] in: total gradient of <c>h</c>; out: gradient of <c>hPrev</c>.</param>
    /// <param name="dc">[R, H] in: gradient of <c>c</c> from later steps; out: gradient of <c>cPrev</c>.</param>
    /// <param name="weights">The recurrent weights and their gradients.</param>
    /// <param name="scratch">[R, <see cref="ScratchWidth"/>] work space.</param>
    public abstract void BackwardStep(int rows, Span<float> gates, ReadOnlySpan<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> h, ReadOnlySpan<float> c,
        Span<float> dh, Span<float> dc, RecurrentWeights weights, Span<float> scratch);

    /// <summary>
    /// Recurrent product for gate blocks [<paramref name="firstGate"/>, +<paramref name="gateCount"/>):
    /// <c>out[R, n*H] = state[R, H] W_hh[block]^T + b_hh[block]</c>.
    /// Strides default to H (dense rows).
    /// </summary>
    /// <remarks>With <paramref name="accumulate"/> the product is added to <paramref name="output"/>; the bias is
    /// left out when the layer already folded <c>b_hh</c> into the input projection (<see cref="RecurrentWeights.BiasHhInInput"/>).</remarks>
    protected unsafe void RecurrentProduct(int rows, ReadOnlySpan<float> state, RecurrentWeights w,
        int firstGate, int gateCount, Span<float> output, int ldo, int stateStride = -1, bool accumulate = false)
    {
        int h = HiddenSize, n = gateCount * h, lds = stateStride < 0 ? h : stateStride;
        ReadOnlySpan<float> bias = w.BiasHhInInput ? default : w.BiasHh.Value.AsSpan(firstGate * h, n);
        if (w.PackedForward is PackedMatrix packed && firstGate == 0 && gateCount == GateCount)
        {
            if (output.Length < (rows - 1) * ldo + n || state.Length < (rows - 1) * lds + h) throw new ArgumentException("The recurrent product's buffers are too small.");
            fixed (float* ps = state, po = output, pb = bias)
                PackedGemm.Multiply(rows, new MatrixOperand(ps, lds, 1), packed, po, ldo, accumulate, pb);
        }
        else if (w.PackedForwardRows is PackedRows rowsPacked && firstGate == 0 && gateCount == GateCount)
        {
            if (output.Length < (rows - 1) * ldo + n || state.Length < (rows - 1) * lds + h) throw new ArgumentException("The recurrent product's buffers are too small.");
            fixed (float* ps = state, po = output, pb = bias)
                for (int r = 0; r < rows; r++) rowsPacked.Multiply(ps + r * lds, po + r * ldo, accumulate, pb, 0, rowsPacked.Blocks);
        }
        else Gemm.NT(rows, n, h, state, lds, w.WeightHh.Value.AsSpan(firstGate * h * h), h, output, ldo, accumulate, bias);
    }

    /// <summary>
    /// Backpropagates <c>out = state W_hh[block]^T + b_hh[block]</c>: adds <c>dOut W_hh[block]</c> to
    /// <paramref name="dState"/> and accumulates the weight and bias gradients.
    /// </summary>
    /// <remarks>
    /// For the full gate range the layer may pre-pack <c>W_hh</c> and defer the weight and bias
    /// gradients to one product over all steps (<see cref="RecurrentWeights.DeferredGradient"/>): the
    /// rows of <paramref name="dOut"/> are then stored there (state = h_prev) instead of accumulated now.
    /// </remarks>
    protected unsafe void RecurrentProductBackward(int rows, ReadOnlySpan<float> dOut, int ldd, ReadOnlySpan<float> state,
        RecurrentWeights w, int firstGate, int gateCount, Span<float> dState, bool accumulateState,
        int stateStride = -1, int dStateStride = -1)
    {
        int h = HiddenSize, n = gateCount * h, ldds = dStateStride < 0 ? h : dStateStride;
        bool full = firstGate == 0 && gateCount == GateCount;
        if (w.PackedBackward is PackedMatrix packed && full)
        {
            if (dOut.Length < (rows - 1) * ldd + n || dState.Length < (rows - 1) * ldds + h) throw new ArgumentException("The recurrent gradient's buffers are too small.");
            fixed (float* pd = dOut, ps = dState)
                PackedGemm.Multiply(rows, new MatrixOperand(pd, ldd, 1), packed, ps, ldds, accumulateState);
        }
        else Gemm.NN(rows, h, n, dOut, ldd, w.WeightHh.Value.AsSpan(firstGate * h * h), h, dState, ldds, accumulateState);
        if (w.DeferredGradient is AlignedBuffer deferred && full)
        {
            Span<float> target = deferred.AsSpan(w.DeferredRow * n, rows * n);
            if (!System.Runtime.CompilerServices.Unsafe.AreSame(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(dOut), ref target[0]))
                for (int r = 0; r < rows; r++) dOut.Slice(r * ldd, n).CopyTo(target.Slice(r * n, n));
            return;
        }
        Gemm.TN(n, h, rows, dOut, ldd, state, stateStride < 0 ? h : stateStride, w.WeightHh.Gradient.AsSpan(firstGate * h * h), h, accumulate: true);
        Gemm.AddColumnSums(rows, n, dOut, ldd, w.BiasHh.Gradient.AsSpan(firstGate * h, n));
    }
}

/// <summary>The recurrent weight <c>W_hh</c> [G*H, H] and bias <c>b_hh</c> [G*H] a cell step uses.</summary>
/// <param name="WeightHh">Recurrent weight, PyTorch layout.</param>
/// <param name="BiasHh">Recurrent bias.</param>
internal readonly record struct RecurrentWeights(Parameter WeightHh, Parameter BiasHh)
{
    /// <summary><c>W_hh^T</c> packed as the right operand of the forward product (all gates), or null.</summary>
    internal PackedMatrix? PackedForward { get; init; }

    /// <summary><c>W_hh</c> packed for matrix-vector products (all gates; small batches), or null.</summary>
    internal PackedRows? PackedForwardRows { get; init; }

    /// <summary><c>W_hh</c> packed as the right operand of the backward product (all gates), or null.</summary>
    internal PackedMatrix? PackedBackward { get; init; }

    /// <summary>[N, G*H] buffer that collects the recurrent product's gradient of every step, or null to accumulate per step.</summary>
    internal AlignedBuffer? DeferredGradient { get; init; }

    /// <summary>Whether <c>b_hh</c> was already added to the gates with <c>b_ih</c> (then products leave it out).</summary>
    internal bool BiasHhInInput { get; init; }

    /// <summary>First packed row of the current step in <see cref="DeferredGradient"/>.</summary>
    internal int DeferredRow { get; init; }
}
