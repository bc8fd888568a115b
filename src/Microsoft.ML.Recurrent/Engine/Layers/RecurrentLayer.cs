using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// One recurrent layer in one direction over a packed batch (see <see cref="SequenceLayout"/>).
/// Forward computes the input projection for every step in one product, then runs the cell step by
/// step on the active rows only; the reverse direction starts at each sequence's own last step.
/// Parameters use PyTorch's names and layouts: <c>weight_ih</c> [G*H, I], <c>weight_hh</c> [G*H, H],
/// <c>bias_ih</c>, <c>bias_hh</c> [G*H].
/// </summary>
/// <remarks>
/// Dims legend: N = packed rows (sum of lengths), B = sequences, I = input size, H = hidden size,
/// G = gates. Forward keeps the activations backward needs; backward must follow the forward call
/// it belongs to, with the same input and output, and accumulates into the parameter gradients.
/// </remarks>
public sealed partial class RecurrentLayer
{
    private const int PackingBatch = 4;
    private readonly RecurrentCell _cell;
    private readonly StepRunner _runner = new();
    // Workspaces start on cache lines, so step ranges split between threads (multiples of 16 floats) share no line.
    private readonly AlignedBuffer _gates = new(), _saved = new(), _cells = new(), _scratch = new(), _bias = new();
    private readonly AlignedBuffer _c = new(), _hPrevAll = new(), _dRecurrent = new();
    private AlignedBuffer _h = new(), _hNew = new();
    private readonly PackedMatrix _packedInput = new(), _packedForward = new(), _packedBackward = new();
    private readonly PackedRows _packedRows = new();
    private SequenceLayout? _layout;
    private bool _frozen, _inputPacked, _forwardPacked, _rowsPacked, _isReplica;

    /// <summary>Creates a layer.</summary>
    /// <param name="cellType">The cell.</param>
    /// <param name="inputSize">I.</param>
    /// <param name="hiddenSize">H.</param>
    /// <param name="reverse">Process each sequence from its last step to its first.</param>
    /// <param name="nameSuffix">Suffix of the parameter names, e.g. <c>_l0</c> or <c>_l1_reverse</c>.</param>
    /// <param name="namePrefix">Prefix of the parameter names, e.g. <c>decoder.</c> in a model with two recurrent stacks.</param>
    public RecurrentLayer(CellType cellType, int inputSize, int hiddenSize, bool reverse = false, string nameSuffix = "", string namePrefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        _cell = CellFactory.Create(cellType, hiddenSize, nameSuffix, namePrefix);
        CellType = cellType;
        InputSize = inputSize;
        Reverse = reverse;
        int gh = _cell.GateCount * hiddenSize;
        WeightIh = new Parameter(namePrefix + "weight_ih" + nameSuffix, gh, inputSize);
        WeightHh = new Parameter(namePrefix + "weight_hh" + nameSuffix, gh, hiddenSize);
        BiasIh = new Parameter(namePrefix + "bias_ih" + nameSuffix, gh);
        BiasHh = new Parameter(namePrefix + "bias_hh" + nameSuffix, gh);
        Parameters = [WeightIh, WeightHh, BiasIh, BiasHh, .. _cell.ExtraParameters];
    }

    /// <summary>A layer over <paramref name="source"/>'s parameters (the same objects, so gradients add up in them) with its own workspaces.</summary>
    internal RecurrentLayer(RecurrentLayer source)
    {
        if (source._cell.ExtraParameters.Count > 0)
            throw new NotSupportedException($"A {source.CellType} layer owns parameters inside its cell and cannot share its weights with another layer; use Lstm, Gru or an Elman cell.");
        _cell = CellFactory.Create(source.CellType, source.HiddenSize);
        CellType = source.CellType;
        InputSize = source.InputSize;
        Reverse = source.Reverse;
        (WeightIh, WeightHh, BiasIh, BiasHh) = (source.WeightIh, source.WeightHh, source.BiasIh, source.BiasHh);
        Parameters = source.Parameters;
        _replicaPacking = source._replicaPacking ??= new ReplicaPacking();
        _isReplica = true;
    }

    /// <summary>The cell type.</summary>
    public CellType CellType { get; }

    /// <summary>I.</summary>
    public int InputSize { get; }

    /// <summary>H.</summary>
    public int HiddenSize => _cell.HiddenSize;

    /// <summary>G, the number of gate blocks.</summary>
    public int GateCount => _cell.GateCount;

    /// <summary>Whether the layer runs from each sequence's end to its start.</summary>
    public bool Reverse { get; }

    /// <summary>Whether the cell has a cell state (LSTM).</summary>
    public bool HasCellState => _cell.HasCellState;

    /// <summary><c>weight_ih</c> [G*H, I].</summary>
    public Parameter WeightIh { get; }

    /// <summary><c>weight_hh</c> [G*H, H].</summary>
    public Parameter WeightHh { get; }

    /// <summary><c>bias_ih</c> [G*H].</summary>
    public Parameter BiasIh { get; }

    /// <summary><c>bias_hh</c> [G*H].</summary>
    public Parameter BiasHh { get; }

    /// <summary>All trainable tensors, standard weights first.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Whether the weights are held constant for inference. A frozen layer packs its weight matrices on the
    /// first forward call and reuses the packed copies afterwards, which saves re-reading and re-laying them
    /// out on every call (for short or single sequences that is a large share of the time). Freeze only
    /// weights that will not change: to change parameter values, unfreeze first, or freeze again after the
    /// change (setting <c>true</c> repacks on the next call). <see cref="Backward"/> is refused while frozen.
    /// </summary>
    public bool Frozen
    {
        get => _frozen;
        set => (_frozen, _inputPacked, _forwardPacked, _rowsPacked) = (value, false, false, false);
    }

    /// <summary>Runs the layer forward.</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="input">[N, I] packed input.</param>
    /// <param name="h0">[B, H] initial hidden state, or empty for zeros.</param>
    /// <param name="c0">[B, H] initial cell state (LSTM), or empty for zeros.</param>
    /// <param name="output">[N, ldo] receives h of every step in columns 0..H-1.</param>
    /// <param name="ldo">Row stride of <paramref name="output"/> (at least H).</param>
    /// <param name="hN">[B, H] receives each sequence's final hidden state, or empty.</param>
    /// <param name="cN">[B, H] receives each sequence's final cell state, or empty.</param>
    public unsafe void Forward(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        Span<float> output, int ldo, Span<float> hN, Span<float> cN)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int n = layout.TotalSteps, b = layout.BatchSize, hs = HiddenSize, gh = GateCount * hs;
        CheckBuffers(layout, input, output, ldo);
        CheckState(h0, b, nameof(h0));
        CheckState(c0, b, nameof(c0));
        CheckState(hN, b, nameof(hN));
        CheckState(cN, b, nameof(cN));
        Reserve(layout);

        Span<float> gates = _gates.AsSpan(0, n * gh);
        // The input projection carries b_ih, and b_hh too when the cell adds its recurrent product to the gates.
        bool foldBias = _cell.AddsRecurrentProductToGates;
        Span<float> bias = _bias.AsSpan(0, gh);
        if (foldBias) System.Numerics.Tensors.TensorPrimitives.Add(BiasIh.Value, BiasHh.Value, bias);
        else BiasIh.Value.CopyTo(bias);
        Project(n, input, gates, bias);

        // A step reads _h and writes _hNew, which then swap; both start as h0, so rows that start late (reverse
        // direction) read h0 whichever buffer is current.
        foreach (AlignedBuffer state in (ReadOnlySpan<AlignedBuffer>)[_h, _hNew])
        {
            if (h0.IsEmpty) state.AsSpan(0, b * hs).Clear(); else h0.CopyTo(state.AsSpan(0, b * hs));
        }
        Span<float> c = _c.AsSpan(0, b * hs);
        if (c0.IsEmpty) c.Clear(); else c0.CopyTo(c);
        // Packing pays off only when each step has enough rows to fill the kernel's tiles.
        // Small batches take matrix-vector products over W_hh packed by row blocks.
        bool pack = b >= PackingBatch;
        ReplicaPacking? shared = Shared;
        PackedMatrix packedForward = shared?.Forward ?? _packedForward;
        PackedRows packedRows = shared?.Rows ?? _packedRows;
        if (pack)
        {
            if (shared is null ? NeedsPacking(ref _forwardPacked) : shared.Stale(ref shared.ForwardAt)) PackWeightHh(packedForward, transpose: true);
        }
        else
        {
            if (shared is null ? NeedsPacking(ref _rowsPacked) : shared.Stale(ref shared.RowsAt)) packedRows.Pack(gh, hs, WeightHh.Value, hs, GateCount);
        }
        var weights = new RecurrentWeights(WeightHh, BiasHh)
        {
            PackedForward = pack ? packedForward : null,
            PackedForwardRows = pack ? null : packedRows,
            BiasHhInInput = foldBias,
        };
        StepRunner runner = _runner;
        fixed (float* y = output)
        {
            if (!TryRunRowGroups(layout, weights, y, ldo))
            {
                // Each part of a step writes its own rows or units of h to the output and of c to the state.
                runner.Begin(this, weights, backward: false, y, ldo);
                for (int k = 0; k < layout.MaxLength; k++)
                {
                    int t = Reverse ? layout.MaxLength - 1 - k : k;
                    runner.Run(layout.BatchSizes[t], layout.StepOffset(t), output: default);
                    (_h, _hNew) = (_hNew, _h);
                }
                runner.Begin(this, weights, backward: false); // drops the output pointer before the output is unpinned
            }
        }
        // Each sequence's final state is its row at its own last processed step.
        for (int r = 0; r < b && !(hN.IsEmpty && cN.IsEmpty); r++)
        {
            int last = layout.StepOffset(Reverse ? 0 : layout.Lengths[r] - 1) + r;
            if (!hN.IsEmpty) output.Slice(last * ldo, hs).CopyTo(hN.Slice(r * hs, hs));
            if (!cN.IsEmpty) _cells.AsSpan(last * hs, hs).CopyTo(cN.Slice(r * hs, hs));
        }
    }

    /// <summary>
    /// Backpropagates the forward call just made (same layout, input and output), accumulating into
    /// the parameter gradients.
    /// </summary>
    /// <param name="layout">Batch layout of the forward call.</param>
    /// <param name="input">[N, I] the forward input.</param>
    /// <param name="h0">[B, H] the forward initial state, or empty for zeros.</param>
    /// <param name="c0">[B, H] the forward initial cell state, or empty for zeros.</param>
    /// <param name="output">[N, ldo] the forward output.</param>
    /// <param name="dOutput">[N, ldo] gradient of the loss with respect to the output, same stride.</param>
    /// <param name="ldo">Row stride of the output and its gradient.</param>
    /// <param name="dhN">[B, H] gradient of the final hidden states, or empty for zeros.</param>
    /// <param name="dcN">[B, H] gradient of the final cell states, or empty for zeros.</param>
    /// <param name="dInput">[N, I] receives (or has added, see <paramref name="accumulateInput"/>) the input gradient; empty to skip.</param>
    /// <param name="accumulateInput">Add to <paramref name="dInput"/> instead of overwriting it.</param>
    /// <param name="dh0">[B, H] receives the gradient of the initial hidden state, or empty.</param>
    /// <param name="dc0">[B, H] receives the gradient of the initial cell state, or empty.</param>
    public unsafe void Backward(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        ReadOnlySpan<float> output, ReadOnlySpan<float> dOutput, int ldo, ReadOnlySpan<float> dhN, ReadOnlySpan<float> dcN,
        Span<float> dInput, bool accumulateInput, Span<float> dh0, Span<float> dc0)
    {
        if (_frozen)
            throw new InvalidOperationException("The layer is frozen for inference (its packed weights may be stale); set Frozen to false before training it.");
        if (!ReferenceEquals(layout, _layout))
            throw new InvalidOperationException("Backward must follow the Forward call with the same layout.");
        int n = layout.TotalSteps, b = layout.BatchSize, hs = HiddenSize, gh = GateCount * hs;
        CheckBuffers(layout, input, output, ldo);
        if (dOutput.Length < output.Length) throw new ArgumentException($"dOutput holds {dOutput.Length} values; the output holds {output.Length}.", nameof(dOutput));
        CheckState(h0, b, nameof(h0));
        CheckState(c0, b, nameof(c0));
        CheckState(dhN, b, nameof(dhN));
        CheckState(dcN, b, nameof(dcN));

        Span<float> dh = _h.AsSpan(0, b * hs), dc = _c.AsSpan(0, b * hs);
        if (dhN.IsEmpty) dh.Clear(); else dhN.CopyTo(dh);
        if (dcN.IsEmpty) dc.Clear(); else dcN.CopyTo(dc);
        Span<float> hPrevAll = _hPrevAll.AsSpan(0, n * hs);
        bool defer = _cell.DefersRecurrentGradient;
        AlignedBuffer? deferred = !defer ? null : _cell.RecurrentGradientIsGateGradient ? _gates : _dRecurrent;
        ReplicaPacking? shared = Shared;
        PackedMatrix? packedBackward = b < PackingBatch ? null
            : shared is null ? PackWeightHh(_packedBackward, transpose: false)
            : shared.Stale(ref shared.BackwardAt) ? PackWeightHh(shared.Backward, transpose: false) : shared.Backward;
        var weights = new RecurrentWeights(WeightHh, BiasHh) { PackedBackward = packedBackward, DeferredGradient = deferred };
        StepRunner runner = _runner;
        fixed (float* y = output, dy = dOutput, ph0 = h0, pc0 = c0)
        {
            // Each part of a step gathers its own rows' h_prev, c_prev and output gradient (see StepRunner.PrepareBackwardRows).
            runner.Begin(this, weights, backward: true, y, ldo, dy, ph0, pc0);
            for (int k = layout.MaxLength - 1; k >= 0; k--) runner.RunBackward(layout, k);
            runner.Begin(this, weights, backward: true); // drops the pointers before the spans are unpinned
        }
        Span<float> gates = _gates.AsSpan(0, n * gh);
        if (deferred is not null)
        {
            // W_hh and b_hh gradients of all steps at once: dW_hh += dRec^T [G*H, N] * h_prev [N, H].
            Gemm.TN(gh, hs, n, deferred.AsSpan(0, n * gh), gh, hPrevAll, hs, WeightHh.Gradient, hs, accumulate: true);
            if (deferred != _gates) Gemm.AddColumnSums(n, gh, deferred.AsSpan(0, n * gh), gh, BiasHh.Gradient);
        }
        if (!dh0.IsEmpty) { CheckState(dh0, b, nameof(dh0)); dh.CopyTo(dh0); }
        if (!dc0.IsEmpty) { CheckState(dc0, b, nameof(dc0)); dc.CopyTo(dc0); }

        if (!dInput.IsEmpty)
        {
            if (dInput.Length != n * InputSize) throw new ArgumentException($"dInput must hold {n * InputSize} values ([N={n}, I={InputSize}]) but holds {dInput.Length}.", nameof(dInput));
            if (shared is null || n < PackingBatch) Gemm.NN(n, InputSize, gh, gates, gh, WeightIh.Value, InputSize, dInput, InputSize, accumulateInput);
            else
                fixed (float* w = WeightIh.Value, g = gates, dx = dInput)
                {
                    // dInput = gates [N, G*H] W_ih [G*H, I], with W_ih packed once for the pass's replicas.
                    if (shared.Stale(ref shared.InputBackwardAt)) shared.InputBackward.Pack(gh, InputSize, new MatrixOperand(w, InputSize, 1));
                    PackedGemm.Multiply(n, new MatrixOperand(g, gh, 1), shared.InputBackward, dx, InputSize, accumulateInput);
                }
        }
        Gemm.TN(gh, InputSize, n, gates, gh, input, InputSize, WeightIh.Gradient, InputSize, accumulate: true);
        if (deferred != _gates)
        {
            Gemm.AddColumnSums(n, gh, gates, gh, BiasIh.Gradient);
            return;
        }
        // The recurrent product's gradient is the gate gradient itself, so b_hh and b_ih get the same sums: one pass for both
        // (into the forward pass's combined-bias buffer, which backward does not need).
        Span<float> sums = _bias.AsSpan(0, gh);
        sums.Clear();
        Gemm.AddColumnSums(n, gh, gates, gh, sums);
        System.Numerics.Tensors.TensorPrimitives.Add(BiasIh.Gradient, sums, BiasIh.Gradient);
        System.Numerics.Tensors.TensorPrimitives.Add(BiasHh.Gradient, sums, BiasHh.Gradient);
    }

    /// <summary>gates [N, G*H] = input [N, I] W_ih^T + bias; a frozen layer reuses W_ih packed on its first call, a replica the copy its pass shares.</summary>
    private unsafe void Project(int n, ReadOnlySpan<float> input, Span<float> gates, Span<float> bias)
    {
        int gh = GateCount * HiddenSize, inputSize = InputSize;
        ReplicaPacking? shared = Shared;
        if ((!_frozen && shared is null) || n < PackingBatch)
        {
            Gemm.NT(n, gh, inputSize, input, inputSize, WeightIh.Value, inputSize, gates, gh, accumulate: false, rowBias: bias);
            return;
        }
        fixed (float* w = WeightIh.Value, x = input, g = gates, pb = bias)
        {
            PackedMatrix packed = shared?.Input ?? _packedInput;
            if (shared is null ? NeedsPacking(ref _inputPacked) : shared.Stale(ref shared.InputAt)) packed.Pack(inputSize, gh, new MatrixOperand(w, 1, inputSize));
            PackedGemm.Multiply(n, new MatrixOperand(x, inputSize, 1), packed, g, gh, accumulate: false, pb);
        }
    }

    /// <summary>
    /// Whether a packed copy must be (re)made now: always while unfrozen; once after freezing. Records that the copy
    /// is current for as long as the layer stays frozen.
    /// </summary>
    private bool NeedsPacking(ref bool packed)
    {
        bool needed = !(_frozen && packed);
        packed = _frozen;
        return needed;
    }

    /// <summary>
    /// The scratch buffer's layout, written once here: [B, cell scratch width] for the cell, then [B, H] for the
    /// strided step copy of h (backward), then [B, H] for c_prev (backward).
    /// </summary>
    private int StepCopyOffset => _layout!.BatchSize * _cell.ScratchWidth;

    /// <summary>Where c_prev starts in the scratch buffer (see <see cref="StepCopyOffset"/>).</summary>
    private int CellPrevOffset => StepCopyOffset + _layout!.BatchSize * HiddenSize;

    private void Reserve(SequenceLayout layout)
    {
        int n = layout.TotalSteps, b = layout.BatchSize, hs = HiddenSize;
        _gates.Reserve(n * GateCount * hs);
        _bias.Reserve(GateCount * hs);
        _saved.Reserve(n * _cell.SavedWidth);
        if (HasCellState) _cells.Reserve(n * hs);
        // Backward needs the cell's scratch plus room for a strided step copy and c_prev.
        _scratch.Reserve(b * (_cell.ScratchWidth + 2 * hs));
        _h.Reserve(b * hs);
        _c.Reserve(b * hs);
        _hNew.Reserve(b * hs);
        _hPrevAll.Reserve(n * hs);
        if (_cell.DefersRecurrentGradient && !_cell.RecurrentGradientIsGateGradient) _dRecurrent.Reserve(n * GateCount * hs);
        _layout = layout;
    }

    /// <summary>Packs W_hh [G*H, H] as the right operand of a product: transposed ([H, G*H]) for forward, as is for backward.</summary>
    private unsafe PackedMatrix PackWeightHh(PackedMatrix target, bool transpose)
    {
        int hs = HiddenSize, gh = GateCount * hs;
        fixed (float* w = WeightHh.Value)
        {
            if (transpose) target.Pack(hs, gh, new MatrixOperand(w, 1, hs));
            else target.Pack(gh, hs, new MatrixOperand(w, hs, 1));
        }
        return target;
    }

    private void CheckBuffers(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> output, int ldo)
    {
        int n = layout.TotalSteps;
        if (input.Length != n * InputSize)
            throw new ArgumentException($"input must hold {n * InputSize} values ([N={n}, I={InputSize}]) but holds {input.Length}.", nameof(input));
        if (ldo < HiddenSize)
            throw new ArgumentOutOfRangeException(nameof(ldo), ldo, $"The output row stride must be at least H={HiddenSize}.");
        if (n > 0 && output.Length < (n - 1) * ldo + HiddenSize)
            throw new ArgumentException($"output holds {output.Length} values; [N={n}] rows of stride {ldo} need {(n - 1) * ldo + HiddenSize}.", nameof(output));
    }

    private void CheckState(ReadOnlySpan<float> state, int batch, string name)
    {
        if (!state.IsEmpty && state.Length != batch * HiddenSize)
            throw new ArgumentException($"{name} must hold {batch * HiddenSize} values ([B={batch}, H={HiddenSize}]) but holds {state.Length}.", name);
    }
}
