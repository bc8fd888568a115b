using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>The step runner of <see cref="RecurrentLayer"/>: how one time step is split over threads.</summary>
public sealed partial class RecurrentLayer
{
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
            float* stepH = _ldo == hs ? _output + (long)row0 * hs : _layer._scratch.Pointer + _layer.StepCopyOffset;
            Run(rows, row0, new ReadOnlySpan<float>(stepH, rows * hs));
        }

        /// <summary>
        /// Backward, rows [r0, r1) of the step: h_prev (kept for the deferred W_hh gradient), c_prev, the output gradient
        /// added to dh, and the strided step copy of h. Every row is independent, so each part does its own.
        /// </summary>
        private void PrepareBackwardRows(int r0, int r1)
        {
            RecurrentLayer l = _layer;
            int hs = l.HiddenSize;
            float* cPrev = l._scratch.Pointer + l.CellPrevOffset;
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
                cell.BackwardActivation(count, gates, saved, l.HasCellState ? l._scratch.AsSpan(l.CellPrevOffset + r0 * hs, count * hs) : default,
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
            cell.BackwardStep(count, gates, saved, l._hPrevAll.AsSpan(row * hs, count * hs),
                l.HasCellState ? l._scratch.AsSpan(l.CellPrevOffset + r0 * hs, count * hs) : default,
                new ReadOnlySpan<float>(_hStep + r0 * hs, count * hs), cells,
                l._h.AsSpan(r0 * hs, count * hs), l.HasCellState ? l._c.AsSpan(r0 * hs, count * hs) : default,
                _weights with { DeferredRow = row }, scratch);
        }
    }
}
