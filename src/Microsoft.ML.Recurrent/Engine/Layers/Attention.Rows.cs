using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>The per-sequence part of a forward step of <see cref="Attention"/>, split over the worker pool by sequences.</summary>
public sealed partial class Attention
{
    /// <summary>Splitting a step over threads pays from this many hidden values (B x S x P) on.</summary>
    private const int ParallelValues = 1 << 15;

    private readonly RowParts _parts = new();

    /// <summary>
    /// Scores, softmax and contexts of every sequence for one step (with the additive tanh), each sequence computed by one
    /// part in the same order whatever the thread count, so the values do not depend on it.
    /// </summary>
    private unsafe void ForwardRows(ReadOnlySpan<float> query, Span<float> scores, Span<float> weights, Span<float> context, float[] hidden)
    {
        int b = _batch, parts = b * _sources * ProjectedSize >= ParallelValues ? Math.Min(b, WorkerPool.Parallelism) : 1;
        fixed (float* pq = query, ps = scores, pw = weights, pc = context)
        {
            _parts.Begin(this, pq, ps, pw, pc, hidden, parts);
            try { WorkerPool.Run(parts, _parts); }
            finally { _parts.End(); }
        }
    }

    private void ForwardRange(int first, int last, ReadOnlySpan<float> query, Span<float> scores, Span<float> weights, Span<float> context, float[] hidden)
    {
        int s = _sources, q = QuerySize, k = KeySize, p = ProjectedSize;
        scores[(first * s)..(last * s)].Clear();
        weights[(first * s)..(last * s)].Clear();
        context[(first * k)..(last * k)].Clear();
        float scale = DotScale;
        bool additive = Score == AttentionScore.Additive;
        if (additive)
        {
            // h = tanh(P + W_query q) for the valid positions, the tanh in one pass over the part's sequences.
            for (int i = first; i < last; i++)
                for (int j = 0; j < _lengths[i]; j++)
                    TensorPrimitives.Add(_projected.AsSpan((i * s + j) * p, p), _queryProjection.AsSpan(i * p, p), hidden.AsSpan((i * s + j) * p, p));
            TensorPrimitives.Tanh(hidden.AsSpan(first * s * p, (last - first) * s * p), hidden.AsSpan(first * s * p, (last - first) * s * p));
        }
        ReadOnlySpan<float> v = additive ? Parameters[3].Value : default;
        for (int i = first; i < last; i++)
        {
            int valid = _lengths[i];
            Span<float> si = scores.Slice(i * s, valid), wi = weights.Slice(i * s, valid);
            for (int j = 0; j < valid; j++)
                si[j] = additive ? TensorPrimitives.Dot(v, hidden.AsSpan((i * s + j) * p, p))
                    : scale * TensorPrimitives.Dot(query.Slice(i * q, q), _projected.AsSpan((i * s + j) * p, p));
            float max = TensorPrimitives.Max(si);
            TensorPrimitives.Subtract(si, max, wi);
            TensorPrimitives.SoftMax(wi, wi);
            Span<float> ci = context.Slice(i * k, k);
            for (int j = 0; j < valid; j++) TensorPrimitives.MultiplyAdd(_keys.AsSpan((i * s + j) * k, k), wi[j], ci, ci);
        }
    }

    /// <summary>Part p of a step: sequences [p B / parts, (p + 1) B / parts), on buffers the caller pins for the call.</summary>
    private sealed unsafe class RowParts : IParallelWork
    {
        private Attention? _owner;
        private float* _query, _scores, _weights, _context;
        private float[] _hidden = [];
        private int _parts;

        public void Begin(Attention owner, float* query, float* scores, float* weights, float* context, float[] hidden, int parts)
        {
            (_owner, _hidden, _parts) = (owner, hidden, parts);
            _query = query;
            _scores = scores;
            _weights = weights;
            _context = context;
        }

        /// <summary>Drops the pointers before the caller unpins them.</summary>
        public void End()
        {
            (_owner, _hidden) = (null, []);
            _query = _scores = _weights = _context = null;
        }

        public void Execute(int part)
        {
            Attention a = _owner!;
            int b = a._batch, first = part * b / _parts, last = (part + 1) * b / _parts;
            a.ForwardRange(first, last, new ReadOnlySpan<float>(_query, b * a.QuerySize), new Span<float>(_scores, b * a._sources),
                new Span<float>(_weights, b * a._sources), new Span<float>(_context, b * a.KeySize), _hidden);
        }
    }
}
