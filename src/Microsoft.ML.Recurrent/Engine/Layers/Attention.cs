using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// One decoder step of attention over a batch of source sequences: scores of the query against every valid key,
/// softmax over the valid positions (positions s &gt;= lengths[b] get weight exactly 0 and report score 0), and the
/// context sum_s weights[b, s] keys[b, s] (the keys are the values, as in Bahdanau and Luong). Scores:
/// additive (Bahdanau) <c>v . tanh(W_query q + W_key k + bias)</c>, general (Luong) <c>q^T W k</c>, dot <c>q . k</c>,
/// scaled dot <c>q . k / sqrt(K)</c>. Backward is of L = sum(context * dContext) + sum(weights * dWeights).
/// </summary>
/// <remarks>Dims legend: B = batch, S = source positions (padded), Q = query width, K = key width, A = additive hidden width.</remarks>
public sealed class Attention
{
    private float[] _query = [], _keys = [], _weights = [], _hidden = [];
    private int[] _lengths = [];
    private int _batch, _sources;

    /// <summary>Creates the layer with zero weights.</summary>
    /// <param name="score">How a query scores a key.</param>
    /// <param name="querySize">Q.</param>
    /// <param name="keySize">K (Q for dot scores).</param>
    /// <param name="attentionSize">A, the additive score's hidden width (ignored otherwise).</param>
    public Attention(AttentionScore score, int querySize, int keySize, int attentionSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(querySize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keySize, 1);
        if (score is AttentionScore.Dot or AttentionScore.ScaledDot && querySize != keySize)
            throw new ArgumentException($"{score} scores need queries and keys of one width; they are {querySize} and {keySize}.", nameof(keySize));
        if (score == AttentionScore.Additive) ArgumentOutOfRangeException.ThrowIfLessThan(attentionSize, 1, nameof(attentionSize));
        Score = score;
        QuerySize = querySize;
        KeySize = keySize;
        AttentionSize = score == AttentionScore.Additive ? attentionSize : 0;
        Parameters = score switch
        {
            AttentionScore.Additive => [new Parameter("attention.W_query", attentionSize, querySize), new Parameter("attention.W_key", attentionSize, keySize),
                new Parameter("attention.bias", attentionSize), new Parameter("attention.v", attentionSize)],
            AttentionScore.General => [new Parameter("attention.W", querySize, keySize)],
            _ => [],
        };
    }

    /// <summary>How a query scores a key.</summary>
    public AttentionScore Score { get; }

    /// <summary>Q.</summary>
    public int QuerySize { get; }

    /// <summary>K.</summary>
    public int KeySize { get; }

    /// <summary>A (0 unless additive).</summary>
    public int AttentionSize { get; }

    /// <summary>Additive: W_query [A, Q], W_key [A, K], bias [A], v [A]; general: W [Q, K]; dot: none.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Scores, weights and contexts of one step.</summary>
    /// <param name="lengths">[B] valid source positions of each sequence, each in [1, S].</param>
    /// <param name="query">[B, Q].</param>
    /// <param name="keys">[B, S, K].</param>
    /// <param name="scores">[B, S] receives the scores (0 at masked positions).</param>
    /// <param name="weights">[B, S] receives the attention weights (0 at masked positions).</param>
    /// <param name="context">[B, K] receives the contexts.</param>
    public void Forward(ReadOnlySpan<int> lengths, ReadOnlySpan<float> query, ReadOnlySpan<float> keys, Span<float> scores, Span<float> weights, Span<float> context)
    {
        int b = lengths.Length, q = QuerySize, k = KeySize;
        if (b < 1 || query.Length != b * q) throw new ArgumentException($"query must hold [B={b}, Q={q}] values but holds {query.Length}.", nameof(query));
        if (keys.Length % (b * k) != 0 || keys.Length == 0) throw new ArgumentException($"keys must hold [B={b}, S, K={k}] values but hold {keys.Length}.", nameof(keys));
        int s = keys.Length / (b * k);
        for (int i = 0; i < b; i++)
            if (lengths[i] < 1 || lengths[i] > s) throw new ArgumentOutOfRangeException(nameof(lengths), $"lengths[{i}] = {lengths[i]} is outside [1, S={s}].");
        Guard.Length(scores, b * s, nameof(scores), $"[B={b}, S={s}]");
        Guard.Length(weights, b * s, nameof(weights), $"[B={b}, S={s}]");
        Guard.Length(context, b * k, nameof(context), $"[B={b}, K={k}]");
        (_batch, _sources) = (b, s);
        _lengths = lengths.ToArray();
        _query = query.ToArray();
        _keys = keys.ToArray();
        Workspace.Grow(ref _weights, b * s);
        if (Score == AttentionScore.Additive) Workspace.Grow(ref _hidden, b * s * AttentionSize);
        scores.Clear();
        weights.Clear();
        context.Clear();
        for (int i = 0; i < b; i++)
        {
            int valid = lengths[i];
            ReadOnlySpan<float> qi = query.Slice(i * q, q);
            Span<float> si = scores.Slice(i * s, valid), wi = weights.Slice(i * s, valid);
            for (int j = 0; j < valid; j++) si[j] = ScoreOf(i, j, qi, keys.Slice((i * s + j) * k, k));
            float max = TensorPrimitives.Max(si);
            TensorPrimitives.Subtract(si, max, wi);
            TensorPrimitives.SoftMax(wi, wi);
            for (int j = 0; j < valid; j++) TensorPrimitives.MultiplyAdd(keys.Slice((i * s + j) * k, k), wi[j], context.Slice(i * k, k), context.Slice(i * k, k));
        }
        weights.CopyTo(_weights);
    }

    /// <summary>Backpropagates the last forward call: accumulates the parameter gradients and writes dQuery [B, Q] and dKeys [B, S, K].</summary>
    /// <param name="dContext">[B, K] gradient of the loss with respect to the contexts.</param>
    /// <param name="dWeights">[B, S] gradient with respect to the weights, or empty.</param>
    /// <param name="dQuery">[B, Q] receives the query gradient (overwritten).</param>
    /// <param name="dKeys">[B, S, K] receives the key gradient (overwritten).</param>
    public void Backward(ReadOnlySpan<float> dContext, ReadOnlySpan<float> dWeights, Span<float> dQuery, Span<float> dKeys)
    {
        int b = _batch, s = _sources, q = QuerySize, k = KeySize;
        if (b == 0) throw new InvalidOperationException("Call Forward before Backward.");
        Guard.Length(dContext, b * k, nameof(dContext), $"[B={b}, K={k}]");
        if (!dWeights.IsEmpty) Guard.Length(dWeights, b * s, nameof(dWeights), $"[B={b}, S={s}]");
        Guard.Length(dQuery, b * q, nameof(dQuery), $"[B={b}, Q={q}]");
        Guard.Length(dKeys, b * s * k, nameof(dKeys), $"[B={b}, S={s}, K={k}]");
        dQuery.Clear();
        dKeys.Clear();
        float[] dScores = new float[s];
        for (int i = 0; i < b; i++)
        {
            int valid = _lengths[i];
            ReadOnlySpan<float> gc = dContext.Slice(i * k, k), wi = _weights.AsSpan(i * s, valid);
            // dWeight = dContext . key + dWeights; the softmax turns it into dScore = w (dWeight - sum w dWeight).
            double mean = 0;
            for (int j = 0; j < valid; j++)
            {
                ReadOnlySpan<float> key = _keys.AsSpan((i * s + j) * k, k);
                dScores[j] = TensorPrimitives.Dot(gc, key) + (dWeights.IsEmpty ? 0 : dWeights[i * s + j]);
                mean += wi[j] * dScores[j];
                TensorPrimitives.MultiplyAdd(gc, wi[j], dKeys.Slice((i * s + j) * k, k), dKeys.Slice((i * s + j) * k, k));
            }
            for (int j = 0; j < valid; j++) dScores[j] = wi[j] * (dScores[j] - (float)mean);
            for (int j = 0; j < valid; j++) ScoreBackward(i, j, dScores[j], dQuery.Slice(i * q, q), dKeys.Slice((i * s + j) * k, k));
        }
    }

    private float ScoreOf(int i, int j, ReadOnlySpan<float> query, ReadOnlySpan<float> key)
    {
        switch (Score)
        {
            case AttentionScore.Dot: return TensorPrimitives.Dot(query, key);
            case AttentionScore.ScaledDot: return TensorPrimitives.Dot(query, key) / MathF.Sqrt(KeySize);
            case AttentionScore.General:
            {
                // q^T W k = sum_r q_r (W_r . k).
                float[] w = Parameters[0].Value;
                float total = 0;
                for (int r = 0; r < QuerySize; r++) total += query[r] * TensorPrimitives.Dot(w.AsSpan(r * KeySize, KeySize), key);
                return total;
            }
            default:
            {
                int a = AttentionSize;
                float[] wq = Parameters[0].Value, wk = Parameters[1].Value, bias = Parameters[2].Value, v = Parameters[3].Value;
                Span<float> h = _hidden.AsSpan((i * _sources + j) * a, a);
                for (int r = 0; r < a; r++)
                    h[r] = MathF.Tanh(TensorPrimitives.Dot(wq.AsSpan(r * QuerySize, QuerySize), query) + TensorPrimitives.Dot(wk.AsSpan(r * KeySize, KeySize), key) + bias[r]);
                return TensorPrimitives.Dot(v, h);
            }
        }
    }

    private void ScoreBackward(int i, int j, float dScore, Span<float> dQuery, Span<float> dKey)
    {
        ReadOnlySpan<float> query = _query.AsSpan(i * QuerySize, QuerySize), key = _keys.AsSpan((i * _sources + j) * KeySize, KeySize);
        switch (Score)
        {
            case AttentionScore.Dot:
            case AttentionScore.ScaledDot:
                float scale = Score == AttentionScore.Dot ? dScore : dScore / MathF.Sqrt(KeySize);
                TensorPrimitives.MultiplyAdd(key, scale, dQuery, dQuery);
                TensorPrimitives.MultiplyAdd(query, scale, dKey, dKey);
                return;
            case AttentionScore.General:
            {
                Parameter w = Parameters[0];
                for (int r = 0; r < QuerySize; r++)
                {
                    ReadOnlySpan<float> row = w.Value.AsSpan(r * KeySize, KeySize);
                    dQuery[r] += dScore * TensorPrimitives.Dot(row, key);
                    TensorPrimitives.MultiplyAdd(row, dScore * query[r], dKey, dKey);
                    TensorPrimitives.MultiplyAdd(key, dScore * query[r], w.Gradient.AsSpan(r * KeySize, KeySize), w.Gradient.AsSpan(r * KeySize, KeySize));
                }
                return;
            }
            default:
            {
                int a = AttentionSize;
                Parameter wq = Parameters[0], wk = Parameters[1], bias = Parameters[2], v = Parameters[3];
                ReadOnlySpan<float> h = _hidden.AsSpan((i * _sources + j) * a, a);
                for (int r = 0; r < a; r++)
                {
                    v.Gradient[r] += dScore * h[r];
                    float dPre = dScore * v.Value[r] * (1 - h[r] * h[r]);
                    bias.Gradient[r] += dPre;
                    TensorPrimitives.MultiplyAdd(query, dPre, wq.Gradient.AsSpan(r * QuerySize, QuerySize), wq.Gradient.AsSpan(r * QuerySize, QuerySize));
                    TensorPrimitives.MultiplyAdd(key, dPre, wk.Gradient.AsSpan(r * KeySize, KeySize), wk.Gradient.AsSpan(r * KeySize, KeySize));
                    TensorPrimitives.MultiplyAdd(wq.Value.AsSpan(r * QuerySize, QuerySize), dPre, dQuery, dQuery);
                    TensorPrimitives.MultiplyAdd(wk.Value.AsSpan(r * KeySize, KeySize), dPre, dKey, dKey);
                }
                return;
            }
        }
    }
}
