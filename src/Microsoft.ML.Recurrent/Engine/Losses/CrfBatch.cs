using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>
/// Runs a <see cref="LinearChainCrf"/> over a whole packed batch: emissions [N, K] on a
/// <see cref="SequenceLayout"/>, one sequence per part on the worker pool. Each part works in its own
/// reusable tables and writes its transition gradients to its own slot; the slots are added in
/// sequence order afterwards, so results do not depend on the thread count. Nothing is allocated
/// per call once the buffers have grown to the batch.
/// </summary>
/// <remarks>Dims legend: N = packed steps, B = sequences, T_b = steps of sequence b, K = tags.</remarks>
public sealed class CrfBatch
{
    private readonly LinearChainCrf _crf;
    private readonly Work _work;
    private float[] _sequenceGradients = [];

    /// <summary>Creates the driver for <paramref name="crf"/> (whose parameters it reads and whose gradients it adds to).</summary>
    public CrfBatch(LinearChainCrf crf)
    {
        _crf = crf ?? throw new ArgumentNullException(nameof(crf));
        _work = new Work(crf);
    }

    /// <summary>
    /// Sums the negative log-likelihood of every sequence's gold tags and writes the gradient of
    /// <c>scale * sum</c> with respect to the emissions into <paramref name="dEmissions"/>; adds that
    /// gradient for the transitions to the CRF's parameter gradients.
    /// </summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="emissions">[N, K] packed emission scores.</param>
    /// <param name="tags">[N] packed gold tags in [0, K).</param>
    /// <param name="scale">Factor on the gradient (e.g. 1/B for the batch mean); 0 computes the loss only.</param>
    /// <param name="dEmissions">[N, K] receives the emission gradient (overwritten), or empty.</param>
    /// <param name="losses">[B] receives each sequence's negative log-likelihood, or empty.</param>
    public double NegativeLogLikelihood(SequenceLayout layout, ReadOnlySpan<float> emissions, ReadOnlySpan<int> tags, float scale,
        Span<float> dEmissions, Span<double> losses = default)
    {
        int k = Check(layout, emissions);
        if (tags.Length != layout.TotalSteps) throw new ArgumentException($"tags must hold one tag per packed step ({layout.TotalSteps}) but hold {tags.Length}.", nameof(tags));
        if (!dEmissions.IsEmpty && dEmissions.Length != emissions.Length) throw new ArgumentException($"dEmissions must hold {emissions.Length} values but holds {dEmissions.Length}.", nameof(dEmissions));
        if (!losses.IsEmpty && losses.Length != layout.BatchSize) throw new ArgumentException($"losses must hold {layout.BatchSize} values but holds {losses.Length}.", nameof(losses));
        int slot = k * k + 2 * k, batch = layout.BatchSize;
        if (scale != 0 && _sequenceGradients.Length < batch * slot) _sequenceGradients = new float[batch * slot];
        double total;
        unsafe
        {
            fixed (float* pe = emissions, pd = dEmissions, pg = _sequenceGradients)
            fixed (int* pt = tags)
            {
                _work.Begin(Mode.Loss, layout, pe, pt, scale, dEmissions.IsEmpty ? null : pd, pg, null, null);
                WorkerPool.Run(batch, _work);
                total = _work.Finish(losses);
            }
        }
        if (scale == 0) return total;
        float[] dTrans = _crf.Transitions.Gradient, dStart = _crf.StartTransitions.Gradient, dEnd = _crf.EndTransitions.Gradient;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> g = _sequenceGradients.AsSpan(b * slot, slot);
            for (int i = 0; i < k * k; i++) dTrans[i] += g[i];
            for (int j = 0; j < k; j++) { dStart[j] += g[k * k + j]; dEnd[j] += g[k * k + k + j]; }
        }
        return total;
    }

    /// <summary>Writes each sequence's best tag path (Viterbi, within <paramref name="constraints"/> when given) into <paramref name="tags"/> [N], packed.</summary>
    /// <exception cref="InvalidOperationException">The constraints allow no path for some sequence's length.</exception>
    public void Decode(SequenceLayout layout, ReadOnlySpan<float> emissions, TagConstraints? constraints, Span<int> tags)
    {
        Check(layout, emissions);
        if (tags.Length != layout.TotalSteps) throw new ArgumentException($"tags must hold {layout.TotalSteps} values but hold {tags.Length}.", nameof(tags));
        unsafe
        {
            fixed (float* pe = emissions)
            fixed (int* pt = tags)
            {
                _work.Begin(Mode.Decode, layout, pe, pt, 0, null, null, null, constraints);
                WorkerPool.Run(layout.BatchSize, _work);
                _work.Finish(default);
            }
        }
    }

    /// <summary>Writes p(y_t = k | emissions) of every step into <paramref name="marginals"/> [N, K], packed.</summary>
    public void Marginals(SequenceLayout layout, ReadOnlySpan<float> emissions, Span<float> marginals)
    {
        Check(layout, emissions);
        if (marginals.Length != emissions.Length) throw new ArgumentException($"marginals must hold {emissions.Length} values but holds {marginals.Length}.", nameof(marginals));
        unsafe
        {
            fixed (float* pe = emissions, pm = marginals)
            {
                _work.Begin(Mode.Marginals, layout, pe, null, 0, null, null, pm, null);
                WorkerPool.Run(layout.BatchSize, _work);
                _work.Finish(default);
            }
        }
    }

    private int Check(SequenceLayout layout, ReadOnlySpan<float> emissions)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int k = _crf.TagCount;
        if (emissions.Length != layout.TotalSteps * k)
            throw new ArgumentException($"emissions must hold [N={layout.TotalSteps}, K={k}] = {layout.TotalSteps * k} values but hold {emissions.Length}.", nameof(emissions));
        Guard.Finite(emissions, nameof(emissions));
        return k;
    }

    private enum Mode { Loss, Decode, Marginals }

    /// <summary>One sequence per part: gather its rows, run the CRF on them in this thread's tables, scatter the results.</summary>
    private sealed unsafe class Work(LinearChainCrf crf) : IParallelWork
    {
        [ThreadStatic] private static float[]? t_rows, t_dRows;
        [ThreadStatic] private static double[]? t_tables;
        [ThreadStatic] private static int[]? t_tags, t_back;

        private double[] _losses = [];
        private SequenceLayout _layout = null!;
        private Mode _mode;
        private float* _emissions, _dEmissions, _gradients, _marginals;
        private int* _tags;
        private float _scale;
        private TagConstraints? _constraints;

        public void Begin(Mode mode, SequenceLayout layout, float* emissions, int* tags, float scale, float* dEmissions, float* gradients, float* marginals, TagConstraints? constraints)
        {
            _mode = mode;
            _layout = layout;
            _emissions = emissions;
            _tags = tags;
            _scale = scale;
            _dEmissions = dEmissions;
            _gradients = gradients;
            _marginals = marginals;
            _constraints = constraints;
            if (_losses.Length < layout.BatchSize) _losses = new double[layout.BatchSize];
        }

        /// <summary>The sum of the sequences' losses, in sequence order (and each one into <paramref name="losses"/>).</summary>
        public double Finish(Span<double> losses)
        {
            double total = 0;
            for (int b = 0; b < _layout.BatchSize; b++) total += _losses[b];
            if (!losses.IsEmpty) _losses.AsSpan(0, _layout.BatchSize).CopyTo(losses);
            _emissions = _dEmissions = _gradients = _marginals = null;
            _tags = null;
            return total;
        }

        public void Execute(int b)
        {
            int k = crf.TagCount, steps = _layout.Lengths[b], n = _layout.TotalSteps, width = steps * k;
            float[] rows = Grow(ref t_rows, width), dRows = Grow(ref t_dRows, width);
            double[] tables = Grow(ref t_tables, Math.Max(crf.TableSize(steps), crf.ViterbiTableSize));
            int[] tags = Grow(ref t_tags, steps);
            _layout.CopySequence(b, new ReadOnlySpan<float>(_emissions, n * k), k, rows);
            Span<float> emissions = rows.AsSpan(0, width);
            switch (_mode)
            {
                case Mode.Loss:
                    for (int t = 0; t < steps; t++) tags[t] = _tags[_layout.Row(t, b)];
                    int slot = k * k + 2 * k;
                    Span<float> g = _scale == 0 ? default : new Span<float>(_gradients + (long)b * slot, slot);
                    g.Clear();
                    Span<float> d = _dEmissions == null ? default : dRows.AsSpan(0, width);
                    d.Clear();
                    _losses[b] = -crf.LogLikelihood(emissions, tags.AsSpan(0, steps), -_scale, d, tables,
                        g.IsEmpty ? default : g[..(k * k)], g.IsEmpty ? default : g.Slice(k * k, k), g.IsEmpty ? default : g.Slice(k * k + k, k));
                    if (_dEmissions != null) _layout.WriteSequence(b, d, k, new Span<float>(_dEmissions, n * k));
                    break;
                case Mode.Decode:
                    int[] back = Grow(ref t_back, width);
                    crf.Viterbi(emissions, _constraints, tags.AsSpan(0, steps), tables, back);
                    for (int t = 0; t < steps; t++) _tags[_layout.Row(t, b)] = tags[t];
                    _losses[b] = 0;
                    break;
                default:
                    crf.Marginals(emissions, dRows.AsSpan(0, width), tables);
                    _layout.WriteSequence(b, dRows.AsSpan(0, width), k, new Span<float>(_marginals, n * k));
                    _losses[b] = 0;
                    break;
            }
        }

        private static T[] Grow<T>(ref T[]? buffer, int size) => buffer is { } b && b.Length >= size ? b : buffer = new T[Math.Max(size, 64)];
    }
}
