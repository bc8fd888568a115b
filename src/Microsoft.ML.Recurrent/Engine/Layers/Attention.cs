using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Attention of decoder queries over a batch of source sequences: scores of a query against every valid key, softmax
/// over the valid positions (positions s &gt;= lengths[b] get weight exactly 0 and report score 0), and the context
/// sum_s weights[b, s] keys[b, s] (the keys are the values, as in Bahdanau and Luong). Scores: additive (Bahdanau)
/// <c>v . tanh(W_query q + W_key k + bias)</c>, general (Luong) <c>q^T W k</c>, dot <c>q . k</c>, scaled dot
/// <c>q . k / sqrt(K)</c>.
/// </summary>
/// <remarks>
/// <para>A decoder attends once per output step over the same keys: <see cref="Prepare"/> takes the keys once and
/// projects them (<c>W_key k + bias</c>, or <c>W k</c> for general scores) in one product, each <see cref="Forward(ReadOnlySpan{float}, Span{float}, Span{float}, Span{float})"/>
/// is one step, and backward runs <see cref="BackwardStep"/> per step in any order, then <see cref="BackwardKeys"/> once,
/// which turns the gradients gathered for the projected keys into key and key-weight gradients in one product.
/// Backward is of L = sum over steps of sum(context * dContext) + sum(weights * dWeights).</para>
/// <para>Dims legend: B = batch, S = source positions (padded), Q = query width, K = key width, A = additive hidden width,
/// P = projected key width (A additive, Q general, K dot).</para>
/// </remarks>
public sealed partial class Attention
{
    private readonly List<float[]> _queries = [], _weights = [], _hidden = [];
    private float[] _keys = [], _projected = [], _dProjected = [], _dKeys = [], _queryProjection = [], _dQueryProjection = [], _dScores = [], _pre = [];
    private int[] _lengths = [];
    private int _batch, _sources, _steps;
    private bool _keepSteps;

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

    /// <summary>S, the padded source positions of the prepared keys (0 before <see cref="Prepare"/>).</summary>
    public int Sources => _sources;

    /// <summary>The forward steps run since the last <see cref="Prepare"/>.</summary>
    public int Steps => _steps;

    private int ProjectedSize => Score switch { AttentionScore.Additive => AttentionSize, AttentionScore.General => QuerySize, _ => KeySize };

    private float DotScale => Score == AttentionScore.ScaledDot ? 1f / MathF.Sqrt(KeySize) : 1f;

    /// <summary>Takes the keys of a batch and projects them; forgets the steps of the previous batch.</summary>
    /// <param name="lengths">[B] valid source positions of each sequence, each in [1, S].</param>
    /// <param name="keys">[B, S, K].</param>
    /// <param name="keepSteps">Whether every step keeps what its backward needs (training); inference steps reuse one step's buffers.</param>
    public void Prepare(ReadOnlySpan<int> lengths, ReadOnlySpan<float> keys, bool keepSteps = true)
    {
        int b = lengths.Length, k = KeySize;
        if (b < 1) throw new ArgumentException("Attention needs at least one sequence.", nameof(lengths));
        if (keys.Length % (b * k) != 0 || keys.Length == 0) throw new ArgumentException($"keys must hold [B={b}, S, K={k}] values but hold {keys.Length}.", nameof(keys));
        int s = keys.Length / (b * k), p = ProjectedSize;
        for (int i = 0; i < b; i++)
            if (lengths[i] < 1 || lengths[i] > s) throw new ArgumentOutOfRangeException(nameof(lengths), $"lengths[{i}] = {lengths[i]} is outside [1, S={s}].");
        (_batch, _sources, _steps, _keepSteps) = (b, s, 0, keepSteps);
        Workspace.Grow(ref _lengths, b);
        lengths.CopyTo(_lengths);
        Workspace.Grow(ref _keys, keys.Length);
        keys.CopyTo(_keys);
        Workspace.Grow(ref _projected, b * s * p);
        Workspace.Grow(ref _dProjected, b * s * p);
        Workspace.Grow(ref _dKeys, keys.Length);
        _dProjected.AsSpan(0, b * s * p).Clear();
        _dKeys.AsSpan(0, keys.Length).Clear();
        Span<float> projected = _projected.AsSpan(0, b * s * p);
        switch (Score)
        {
            case AttentionScore.Additive:
                Gemm.NT(b * s, p, k, keys, k, Parameters[1].Value, k, projected, p, accumulate: false, rowBias: Parameters[2].Value);
                break;
            case AttentionScore.General:
                Gemm.NT(b * s, p, k, keys, k, Parameters[0].Value, k, projected, p, accumulate: false);
                break;
            default:
                keys.CopyTo(projected);
                break;
        }
    }

    /// <summary>One step: scores, weights and contexts of one query per sequence over the prepared keys.</summary>
    /// <param name="query">[B, Q].</param>
    /// <param name="scores">[B, S] receives the scores (0 at masked positions).</param>
    /// <param name="weights">[B, S] receives the attention weights (0 at masked positions).</param>
    /// <param name="context">[B, K] receives the contexts.</param>
    public void Forward(ReadOnlySpan<float> query, Span<float> scores, Span<float> weights, Span<float> context)
    {
        int b = _batch, s = _sources, q = QuerySize, k = KeySize, p = ProjectedSize;
        if (b == 0) throw new InvalidOperationException("Call Prepare with the keys before Forward.");
        Guard.Length(query, b * q, nameof(query), $"[B={b}, Q={q}]");
        Guard.Length(scores, b * s, nameof(scores), $"[B={b}, S={s}]");
        Guard.Length(weights, b * s, nameof(weights), $"[B={b}, S={s}]");
        Guard.Length(context, b * k, nameof(context), $"[B={b}, K={k}]");
        int step = _keepSteps ? _steps : 0;
        _steps++;
        query.CopyTo(StepBuffer(_queries, step, b * q));
        float[] hidden = Score == AttentionScore.Additive ? StepBuffer(_hidden, step, b * s * p) : [];
        if (Score == AttentionScore.Additive)
        {
            Workspace.Grow(ref _queryProjection, b * p);
            Gemm.NT(b, p, q, query, q, Parameters[0].Value, q, _queryProjection.AsSpan(0, b * p), p, accumulate: false);
        }
        ForwardRows(query, scores, weights, context, hidden);
        weights.CopyTo(StepBuffer(_weights, step, b * s));
    }

    /// <summary>One step over new keys: <see cref="Prepare"/> then <see cref="Forward(ReadOnlySpan{float}, Span{float}, Span{float}, Span{float})"/>.</summary>
    /// <param name="lengths">[B] valid source positions of each sequence, each in [1, S].</param>
    /// <param name="query">[B, Q].</param>
    /// <param name="keys">[B, S, K].</param>
    /// <param name="scores">[B, S] receives the scores (0 at masked positions).</param>
    /// <param name="weights">[B, S] receives the attention weights (0 at masked positions).</param>
    /// <param name="context">[B, K] receives the contexts.</param>
    public void Forward(ReadOnlySpan<int> lengths, ReadOnlySpan<float> query, ReadOnlySpan<float> keys, Span<float> scores, Span<float> weights, Span<float> context)
    {
        Prepare(lengths, keys);
        Forward(query, scores, weights, context);
    }

    private static float[] StepBuffer(List<float[]> buffers, int step, int size)
    {
        while (buffers.Count <= step) buffers.Add([]);
        float[] buffer = buffers[step];
        if (buffer.Length < size) buffers[step] = buffer = new float[size];
        return buffer;
    }
}
