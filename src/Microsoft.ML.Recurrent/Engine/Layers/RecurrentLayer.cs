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
public sealed class RecurrentLayer
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
    private bool _frozen, _inputPacked, _forwardPacked, _rowsPacked;

    /// <summary>Creates a layer.</summary>
    /// <param name="cellType">The cell.</param>
    /// <param name="inputSize">I.</param>
    /// <param name="hiddenSize">H.</param>
    /// <param name="reverse">Process each sequence from its last step to its first.</param>
    /// <param name="nameSuffix">Suffix of the parameter names, e.g. <c>_l0</c> or <c>_l1_reverse</c>.</param>
    public RecurrentLayer(CellType cellType, int inputSize, int hiddenSize, bool reverse = false, string nameSuffix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        _cell = CellFactory.Create(cellType, hiddenSize, nameSuffix);
        CellType = cellType;
        InputSize = inputSize;
        Reverse = reverse;
        int gh = _cell.GateCount * hiddenSize;
        WeightIh = new Parameter("weight_ih" + nameSuffix, gh, inputSize);
        WeightHh = new Parameter("weight_hh" + nameSuffix, gh, hiddenSize);
        BiasIh = new Parameter("bias_ih" + nameSuffix, gh);
        BiasHh = new Parameter("bias_hh" + nameSuffix, gh);
        Parameters = [WeightIh, WeightHh, BiasIh, BiasHh, .. _cell.ExtraParameters];
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
        if (pack)
        {
            if (NeedsPacking(ref _forwardPacked)) PackWeightHh(_packedForward, transpose: true);
        }
        else
        {
            if (NeedsPacking(ref _rowsPacked)) _packedRows.Pack(gh, hs, WeightHh.Value, hs, GateCount);
        }
        var weights = new RecurrentWeights(WeightHh, BiasHh)
        {
            PackedForward = pack ? _packedForward : null,
            PackedForwardRows = pack ? null : _packedRows,
            BiasHhInInput = foldBias,
        };
        StepRunner runner = _runner;
        fixed (float* y = output)
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
        var weights = new RecurrentWeights(WeightHh, BiasHh) { PackedBackward = b >= PackingBatch ? PackWeightHh(_packedBackward, transpose: false) : null, DeferredGradient = deferred };
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
            Gemm.NN(n, InputSize, gh, gates, gh, WeightIh.Value, InputSize, dInput, InputSize, accumulateInput);
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

    /// <summary>gates [N, G*H] = input [N, I] W_ih^T + bias; a frozen layer reuses W_ih packed on its first call.</summary>
    private unsafe void Project(int n, ReadOnlySpan<float> input, Span<float> gates, Span<float> bias)
    {
        int gh = GateCount * HiddenSize, inputSize = InputSize;
        if (!_frozen || n < PackingBatch)
        {
            Gemm.NT(n, gh, inputSize, input, inputSize, WeightIh.Value, inputSize, gates, gh, accumulate: false, rowBias: bias);
            return;
        }
        fixed (float* w = WeightIh.Value, x = input, g = gates, pb = bias)
        {
            if (NeedsPacking(ref _inputPacked)) _packedInput.Pack(inputSize, gh, new MatrixOperand(w, 1, inputSize));
            PackedGemm.Multiply(n, new MatrixOperand(x, inputSize, 1), _packedInput, g, gh, accumulate: false, pb);
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

    /// <summary>
    /// Runs one time step of the cell, split over the worker pool when the step is large enough. Forward
    /// steps of separable cells split by units: each part computes its units' columns of every gate block
    /// and their gate math for all rows, so a step needs one hand-off and the gates stay in the cache that
    /// computed them. Other steps split by row ranges (rows are independent in the recurrence). Ranges are
    /// whole kernel tiles or strips, and every value is computed the same way whatever the split.
    /// </summary>
    private sealed unsafe class StepRunner : Threading.IParallelWork
    {
        private const int MinimumRowsPerPart = 2 * MicroKernel.MR;

        /// <summary>Small-batch steps split over threads from this many flops (a hand-off costs about a microsecond).</summary>
        private const double SmallBatchParallelFlops = 1e5;

        /// <summary>Packed steps split by units from this many flops, so each part gets at least half of it.</summary>
        private const double PackedStepParallelFlops = 4e6;
        private RecurrentLayer _layer = null!;
        private RecurrentWeights _weights;
        private bool _backward;
        private int _rows, _row0, _parts;
        private bool _activationOnly;
        private int _unitGrain;
        private float* _hStep, _output, _dOutput, _h0, _c0;
        private int _ldo, _fromHistory, _previousRow0;

        /// <summary>
        /// Starts a pass. Forward passes give the output ([N, ldo]) that steps write h into; backward passes the forward
        /// output, its gradient and the initial states (null for zeros). All stay pinned until the next Begin.
        /// </summary>
        public void Begin(RecurrentLayer layer, RecurrentWeights weights, bool backward, float* output = null, int ldo = 0,
            float* dOutput = null, float* h0 = null, float* c0 = null)
        {
            _output = output;
            _ldo = ldo;
            _dOutput = dOutput;
            _h0 = h0;
            _c0 = c0;
            _layer = layer;
            _weights = weights;
            _backward = backward;
        }

        /// <summary>
        /// Backpropagates processing index <paramref name="k"/>. Its rows were active at the previous processed step
        /// up to <see cref="_fromHistory"/>; the rest started at this step from the initial state.
        /// </summary>
        public void RunBackward(SequenceLayout layout, int k)
        {
            bool reverse = _layer.Reverse;
            int t = reverse ? layout.MaxLength - 1 - k : k, rows = layout.BatchSizes[t], row0 = layout.StepOffset(t), hs = _layer.HiddenSize;
            _fromHistory = 0;
            if (k > 0)
            {
                int tp = reverse ? t + 1 : t - 1;
                _fromHistory = Math.Min(rows, layout.BatchSizes[tp]);
                _previousRow0 = layout.StepOffset(tp);
            }
            // The step's h as dense [rows, H] rows: the output itself, or a copy each part makes of its rows when strided.
            float* stepH = _ldo == hs ? _output + (long)row0 * hs : _layer._scratch.Pointer + (long)layout.BatchSize * _layer._cell.ScratchWidth;
            Run(rows, row0, new ReadOnlySpan<float>(stepH, rows * hs));
        }

        /// <summary>
        /// Backward, rows [r0, r1) of the step: h_prev (kept for the deferred W_hh gradient), c_prev, the output gradient
        /// added to dh, and the strided step copy of h. Every row is independent, so each part does its own.
        /// </summary>
        private void PrepareBackwardRows(int r0, int r1)
        {
            RecurrentLayer l = _layer;
            int hs = l.HiddenSize, b = l._layout!.BatchSize;
            float* cPrev = l._scratch.Pointer + (long)b * (l._cell.ScratchWidth + hs);
            for (int r = r0; r < r1; r++)
            {
                var hPrev = new Span<float>(l._hPrevAll.Pointer + (long)(_row0 + r) * hs, hs);
                bool history = r < _fromHistory;
                Previous(history ? _output + (long)(_previousRow0 + r) * _ldo : _h0 == null ? null : _h0 + (long)r * hs, hPrev);
                if (l.HasCellState)
                    Previous(history ? l._cells.Pointer + (long)(_previousRow0 + r) * hs : _c0 == null ? null : _c0 + (long)r * hs, new Span<float>(cPrev + (long)r * hs, hs));
                Span<float> dh = l._h.AsSpan(r * hs, hs);
                System.Numerics.Tensors.TensorPrimitives.Add(dh, new ReadOnlySpan<float>(_dOutput + (long)(_row0 + r) * _ldo, hs), dh);
                if (_ldo != hs) new ReadOnlySpan<float>(_output + (long)(_row0 + r) * _ldo, hs).CopyTo(new Span<float>(_hStep + (long)r * hs, hs));
            }
        }

        /// <summary>Copies one row of state from <paramref name="source"/>, or zeros when it is null.</summary>
        private static void Previous(float* source, Span<float> destination)
        {
            if (source == null) destination.Clear();
            else new ReadOnlySpan<float>(source, destination.Length).CopyTo(destination);
        }

        /// <summary>Runs step rows [0, rows) whose packed rows start at <paramref name="row0"/>; <paramref name="output"/> is the step's h (backward only).</summary>
        public void Run(int rows, int row0, ReadOnlySpan<float> output)
        {
            _rows = rows;
            _row0 = row0;
            RecurrentCell cell = _layer._cell;
            int hs = _layer.HiddenSize;
            _unitGrain = ForwardUnitGrain(cell, hs);
            if (_unitGrain > 0)
            {
                double flops = 2.0 * rows * _layer.GateCount * hs * hs;
                // Steps of at least `enough` flops split, into parts of at least half that each (many-core machines).
                double enough = _weights.PackedForward is null ? SmallBatchParallelFlops : PackedStepParallelFlops;
                _parts = (int)Math.Clamp(2 * flops / enough, 1, Math.Min(Threading.WorkerPool.Parallelism, hs / _unitGrain));
                if (_parts <= 1) ExecuteUnits(0);
                else Threading.WorkerPool.Run(_parts, this);
                return;
            }
            bool independent = !_backward || cell.RowsIndependentInBackward;
            PackedMatrix? packed = _backward ? _weights.PackedBackward : _weights.PackedForward;
            _activationOnly = cell.HasSeparableStep && packed is not null;
            int strips = (rows + MicroKernel.MR - 1) / MicroKernel.MR;
            _parts = !independent ? 1
                : _activationOnly ? (rows >= MinimumRowsPerPart ? Math.Min(Threading.WorkerPool.Parallelism, strips) : 1)
                : rows >= MinimumRowsPerPart * 2 ? Math.Min(Threading.WorkerPool.Parallelism, strips / 2) : 1;
            fixed (float* h = output)
            {
                _hStep = h;
                // Otherwise separable cells run the product on its own, split by columns inside PackedGemm, and the gate math split by rows.
                if (_activationOnly && !_backward) Product(packed!, rows, row0);
                if (_parts <= 1) Execute(0);
                else Threading.WorkerPool.Run(_parts, this);
                if (_activationOnly && _backward) Product(packed!, rows, row0);
                _hStep = null;
            }
        }

        /// <summary>
        /// Units per indivisible piece of a forward step split by units (kernel strips, or blocks of gate-interleaved
        /// rows for small batches), or 0 when the step cannot split by units.
        /// </summary>
        private int ForwardUnitGrain(RecurrentCell cell, int hs)
        {
            if (_backward || !cell.HasSeparableStep || !_weights.BiasHhInInput) return 0;
            if (_weights.PackedForward is not null) return hs % MicroKernel.NR == 0 ? MicroKernel.NR : 0;
            return _weights.PackedForwardRows?.UnitsPerBlock ?? 0;
        }

        /// <summary>Forward: gates[rows] += h_prev W_hh^T. Backward: dh = dGates W_hh (the weight gradient is deferred to the layer).</summary>
        private void Product(PackedMatrix packed, int rows, int row0)
        {
            RecurrentLayer l = _layer;
            int hs = l.HiddenSize, gh = l.GateCount * hs;
            float* stepGates = l._gates.Pointer + (long)row0 * gh, state = l._h.Pointer;
            if (_backward) PackedGemm.Multiply(rows, new MatrixOperand(stepGates, gh, 1), packed, state, hs, accumulate: false);
            else PackedGemm.Multiply(rows, new MatrixOperand(state, hs, 1), packed, stepGates, gh, accumulate: true);
        }

        /// <summary>Forward, units split: this part's units of every gate block (product), then their gate math for all rows.</summary>
        private void ExecuteUnits(int part)
        {
            RecurrentLayer l = _layer;
            RecurrentCell cell = l._cell;
            int hs = l.HiddenSize, gh = l.GateCount * hs, grains = hs / _unitGrain, rows = _rows, row = _row0;
            int first = grains * part / _parts, last = grains * (part + 1) / _parts;
            float* stepGates = l._gates.Pointer + (long)row * gh, state = l._h.Pointer;
            if (_weights.PackedForwardRows is PackedRows packedRows)
                for (int r = 0; r < rows; r++) packedRows.Multiply(state + r * hs, stepGates + r * gh, accumulate: true, bias: null, first, last);
            else
                PackedGemm.MultiplyStripGroups(rows, new MatrixOperand(state, hs, 1), _weights.PackedForward!, stepGates, gh, accumulate: true,
                    first, last, period: grains, groups: l.GateCount);
            int sw = cell.SavedWidth;
            cell.ForwardActivation(rows, l._gates.AsSpan(row * gh, rows * gh), l._saved.AsSpan(row * sw, rows * sw),
                l.HasCellState ? l._c.AsSpan(0, rows * hs) : default, l._hNew.AsSpan(0, rows * hs),
                l.HasCellState ? l._cells.AsSpan(row * hs, rows * hs) : default, first * _unitGrain, (last - first) * _unitGrain);
            Publish(0, rows, first * _unitGrain, (last - first) * _unitGrain);
        }

        /// <summary>
        /// Forward: copies units [firstUnit, firstUnit + units) of step rows [r0, r0 + count) from h_new to the output and
        /// from the step's c to the cell state, so the part that computed them moves them while they are in its cache.
        /// </summary>
        private void Publish(int r0, int count, int firstUnit, int units)
        {
            RecurrentLayer l = _layer;
            int hs = l.HiddenSize;
            for (int r = r0; r < r0 + count; r++)
            {
                new ReadOnlySpan<float>(l._hNew.Pointer + (long)r * hs + firstUnit, units).CopyTo(new Span<float>(_output + (long)(_row0 + r) * _ldo + firstUnit, units));
                if (l.HasCellState)
                    l._cells.AsSpan((_row0 + r) * hs + firstUnit, units).CopyTo(l._c.AsSpan(r * hs + firstUnit, units));
            }
        }

        public void Execute(int part)
        {
            if (_unitGrain > 0)
            {
                ExecuteUnits(part);
                return;
            }
            int strips = (_rows + MicroKernel.MR - 1) / MicroKernel.MR;
            int r0 = Math.Min(_rows, strips * part / _parts * MicroKernel.MR), r1 = Math.Min(_rows, strips * (part + 1) / _parts * MicroKernel.MR);
            if (r1 <= r0) return;
            if (_backward) PrepareBackwardRows(r0, r1);
            RecurrentLayer l = _layer;
            RecurrentCell cell = l._cell;
            int hs = l.HiddenSize, gh = l.GateCount * hs, sw = cell.SavedWidth, count = r1 - r0, row = _row0 + r0;
            Span<float> gates = l._gates.AsSpan(row * gh, count * gh), saved = l._saved.AsSpan(row * sw, count * sw);
            Span<float> scratch = l._scratch.AsSpan(r0 * cell.ScratchWidth, count * cell.ScratchWidth);
            Span<float> cells = l.HasCellState ? l._cells.AsSpan(row * hs, count * hs) : default;
            if (_activationOnly)
            {
                if (!_backward)
                {
                    cell.ForwardActivation(count, gates, saved, l.HasCellState ? l._c.AsSpan(r0 * hs, count * hs) : default, l._hNew.AsSpan(r0 * hs, count * hs), cells, 0, hs);
                    Publish(r0, count, 0, hs);
                    return;
                }
                int cPrevAt = l._layout!.BatchSize * (cell.ScratchWidth + hs);
                cell.BackwardActivation(count, gates, saved, l.HasCellState ? l._scratch.AsSpan(cPrevAt + r0 * hs, count * hs) : default,
                    new ReadOnlySpan<float>(_hStep + r0 * hs, count * hs), cells, l._h.AsSpan(r0 * hs, count * hs), l.HasCellState ? l._c.AsSpan(r0 * hs, count * hs) : default);
                return;
            }
            if (!_backward)
            {
                cell.ForwardStep(count, gates, saved, l._h.AsSpan(r0 * hs, count * hs), l.HasCellState ? l._c.AsSpan(r0 * hs, count * hs) : default,
                    l._hNew.AsSpan(r0 * hs, count * hs), cells, _weights, scratch);
                Publish(r0, count, 0, hs);
                return;
            }
            int b = l._layout!.BatchSize, cPrevStart = b * cell.ScratchWidth + b * hs;
            cell.BackwardStep(count, gates, saved, l._hPrevAll.AsSpan(row * hs, count * hs),
                l.HasCellState ? l._scratch.AsSpan(cPrevStart + r0 * hs, count * hs) : default,
                new ReadOnlySpan<float>(_hStep + r0 * hs, count * hs), cells,
                l._h.AsSpan(r0 * hs, count * hs), l.HasCellState ? l._c.AsSpan(r0 * hs, count * hs) : default,
                _weights with { DeferredRow = row }, scratch);
        }
    }
}
