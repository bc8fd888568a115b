using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Frozen forward passes of large batches split by rows for the whole sequence: each thread runs every step of its own
/// batch rows, so threads meet once per call instead of once per step and never read each other's h. The
/// per-step split of <see cref="StepRunner"/> hands off at every step and each part reads the other parts' units of h;
/// on a 2-vCPU guest that scaled a batch-64 LSTM 1.2-1.3x from one thread where ONNX Runtime, which splits by rows
/// this way, scaled 1.3-1.8x. Every value is computed by the same kernels in the same order, so the bits equal the
/// per-step split's.
/// </summary>
public sealed partial class RecurrentLayer
{
    /// <summary>Steps of at least this many flops per thread split by rows (smaller steps stay with the step runner).</summary>
    private const double RowGroupFlopsPerPart = 4e6;

    /// <summary>
    /// Row groups each read all of the packed W_hh every step, where the step runner's unit split reads a share per thread:
    /// beyond this size (1 MB, half of a Sapphire Rapids core's L2 and all of a Zen 4 core's) the share is what stays in cache.
    /// </summary>
    private const long RowGroupWeightBytes = 1 << 20;

    private readonly RowGroupRunner _rowGroups = new();

    /// <summary>
    /// Runs every step of a frozen forward pass split into row groups when that pays; false when the pass should go
    /// step by step instead (training, small batches, one thread, too little work per step, a W_hh past the cache, or a self-contained cell).
    /// </summary>
    private unsafe bool TryRunRowGroups(SequenceLayout layout, RecurrentWeights weights, float* output, int ldo)
    {
        int b = layout.BatchSize, hs = HiddenSize, strips = (b + MicroKernel.MR - 1) / MicroKernel.MR;
        int parts = Math.Min(Threading.WorkerPool.Parallelism, strips / 2);
        double flopsPerPart = 2.0 * b * GateCount * hs * hs / Math.Max(parts, 1);
        // A self-contained cell's partial products (reset-before GRU) run unpacked kernels whose blocking follows the row
        // count, so its rows must be grouped as the step runner groups them: it stays with the step runner.
        if (!_frozen || weights.PackedForward is null || _cell.Strategy == StepStrategy.SelfContained || parts < 2 || flopsPerPart < RowGroupFlopsPerPart
            || sizeof(float) * (long)GateCount * hs * hs > RowGroupWeightBytes)
            return false;
        // Each group swaps its own view of the two h buffers once a step (nothing reads them after a forward pass).
        _rowGroups.Run(this, layout, weights, output, ldo, parts);
        return true;
    }

    /// <summary>One pass's row groups: runs of rows of the batch, balanced by the packed rows (steps) they hold.</summary>
    private sealed unsafe class RowGroupRunner : Threading.IParallelWork
    {
        private readonly List<int> _bounds = [];
        private RecurrentLayer _layer = null!;
        private SequenceLayout _layout = null!;
        private RecurrentWeights _weights;
        private float* _output;
        private int _ldo;

        public void Run(RecurrentLayer layer, SequenceLayout layout, RecurrentWeights weights, float* output, int ldo, int parts)
        {
            (_layer, _layout, _weights) = (layer, layout, weights);
            _output = output;
            _ldo = ldo;
            Split(layout, parts);
            Threading.WorkerPool.Run(parts, this);
            (_layer, _layout) = (null!, null!);
            _output = null;
        }

        /// <summary>
        /// Group boundaries on even rows such that each group holds about its share of the packed rows (rows are sorted longest
        /// first). A group's last one or two rows run the kernels' short-tile forms at full FMA rate, so a batch of 64 splits
        /// 32 / 32 where boundaries on 6-row strips split it 36 / 28 (the frozen batch-64 LSTM at two threads, 60 alternating
        /// runs in one process: fastest 17.2-19.2 ms against 18.0-20.2).
        /// </summary>
        private void Split(SequenceLayout layout, int parts)
        {
            ReadOnlySpan<int> lengths = layout.Lengths;
            int b = lengths.Length;
            long total = layout.TotalSteps, seen = 0;
            _bounds.Clear();
            _bounds.Add(0);
            for (int row = 0; row < b && _bounds.Count < parts; row++)
            {
                seen += lengths[row];
                bool even = (row + 1) % MicroKernel.PairRows == 0;
                if (even && seen * parts >= total * _bounds.Count) _bounds.Add(row + 1);
            }
            while (_bounds.Count <= parts) _bounds.Add(b);
            _bounds[parts] = b;
        }

        public void Execute(int part)
        {
            int first = _bounds[part], end = _bounds[part + 1];
            if (end <= first) return;
            RecurrentLayer l = _layer;
            RecurrentCell cell = l._cell;
            SequenceLayout layout = _layout;
            int hs = l.HiddenSize, gh = l.GateCount * hs, sw = cell.SavedWidth, scratchWidth = cell.ScratchWidth;
            AlignedBuffer hPrev = l._h, hNext = l._hNew;
            for (int k = 0; k < layout.MaxLength; k++, (hPrev, hNext) = (hNext, hPrev))
            {
                int t = l.Reverse ? layout.MaxLength - 1 - k : k;
                int count = Math.Min(end, layout.BatchSizes[t]) - first;
                if (count <= 0) continue;
                int row = layout.StepOffset(t) + first;
                Span<float> cells = l.HasCellState ? l._cells.AsSpan(row * hs, count * hs) : default;
                Span<float> c = l.HasCellState ? l._c.AsSpan(first * hs, count * hs) : default;
                Span<float> hNew = hNext.AsSpan(first * hs, count * hs);
                cell.ForwardStep(count, l._gates.AsSpan(row * gh, count * gh), l._saved.AsSpan(row * sw, count * sw), hPrev.AsSpan(first * hs, count * hs),
                    c, hNew, cells, _weights, l._scratch.AsSpan(first * scratchWidth, count * scratchWidth));
                for (int r = 0; r < count; r++) hNew.Slice(r * hs, hs).CopyTo(new Span<float>(_output + (long)(row + r) * _ldo, hs));
                cells.CopyTo(c);
            }
        }
    }
}
