using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>
/// Linear-chain conditional random field over K tags (Lafferty et al. 2001), the output layer of a
/// BiLSTM-CRF tagger. <c>transitions[i, j]</c> scores tag i followed by tag j; a path scores
/// <c>start[y0] + sum_t em[t, y_t] + sum_t transitions[y_{t-1}, y_t] + end[y_last]</c>.
/// All dynamic programs run in float64 log space. Parameter names follow pytorch-crf.
/// </summary>
/// <remarks>Dims legend: T = steps of one sequence, K = tags; emissions are [T, K].</remarks>
public sealed class LinearChainCrf
{
    /// <summary>Creates a CRF with zero scores.</summary>
    public LinearChainCrf(int tagCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tagCount, 1);
        TagCount = tagCount;
        Transitions = new Parameter("transitions", tagCount, tagCount);
        StartTransitions = new Parameter("start_transitions", tagCount);
        EndTransitions = new Parameter("end_transitions", tagCount);
        Parameters = [Transitions, StartTransitions, EndTransitions];
    }

    /// <summary>K.</summary>
    public int TagCount { get; }

    /// <summary>[K, K] transition scores.</summary>
    public Parameter Transitions { get; }

    /// <summary>[K] scores of starting with each tag.</summary>
    public Parameter StartTransitions { get; }

    /// <summary>[K] scores of ending with each tag.</summary>
    public Parameter EndTransitions { get; }

    /// <summary>The three score tensors.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Transitions the CRF may use (e.g. BIO: no I-X after O or at the start), or null for all. Disallowed
    /// starts, transitions and ends score minus infinity in the log-likelihood, the partition, the marginals
    /// and Viterbi, so no path through them has any probability and their gradients are zero.
    /// </summary>
    public TagConstraints? Constraints
    {
        get => _constraints;
        set
        {
            if (value is not null && value.TagCount != TagCount)
                throw new ArgumentException($"The constraints are for {value.TagCount} tags; the CRF has {TagCount}.", nameof(value));
            _constraints = value;
        }
    }

    private TagConstraints? _constraints;

    /// <summary>
    /// Returns log p(tags | emissions) and, when <paramref name="gradientScale"/> is non-zero, adds
    /// <c>gradientScale * d(log p)/d(.)</c> to <paramref name="dEmissions"/> (if not empty) and to the
    /// parameters' gradients. Use a negative scale to minimize the negative log-likelihood.
    /// </summary>
    /// <param name="emissions">[T, K] scores per step and tag.</param>
    /// <param name="tags">[T] gold tags in [0, K).</param>
    /// <param name="gradientScale">Factor on the gradient; 0 skips the gradient.</param>
    /// <param name="dEmissions">[T, K] receives the emission gradient (added), or empty.</param>
    public double LogLikelihood(ReadOnlySpan<float> emissions, ReadOnlySpan<int> tags, float gradientScale, Span<float> dEmissions)
    {
        double[] tables = new double[TableSize(Steps(emissions))];
        return LogLikelihood(emissions, tags, gradientScale, dEmissions, tables, Transitions.Gradient, StartTransitions.Gradient, EndTransitions.Gradient);
    }

    /// <summary>
    /// <see cref="LogLikelihood(ReadOnlySpan{float}, ReadOnlySpan{int}, float, Span{float})"/> on caller-owned
    /// tables (<see cref="TableSize"/> doubles) and gradient targets, so a batch driver can run sequences in
    /// parallel without allocating or sharing gradients.
    /// </summary>
    internal double LogLikelihood(ReadOnlySpan<float> emissions, ReadOnlySpan<int> tags, float gradientScale, Span<float> dEmissions,
        Span<double> tables, Span<float> dTrans, Span<float> dStart, Span<float> dEnd)
    {
        int steps = Steps(emissions);
        if (tags.Length != steps) throw new ArgumentException($"tags hold {tags.Length} entries for {steps} steps.", nameof(tags));
        for (int t = 0; t < steps; t++)
            if (tags[t] < 0 || tags[t] >= TagCount) throw new ArgumentOutOfRangeException(nameof(tags), $"tags[{t}] = {tags[t]} is outside [0, {TagCount}).");
        if (!dEmissions.IsEmpty && dEmissions.Length != emissions.Length)
            throw new ArgumentException($"dEmissions must hold {emissions.Length} values but holds {dEmissions.Length}.", nameof(dEmissions));

        double score = PathScore(emissions, tags);
        int k = TagCount;
        Span<double> alpha = tables.Slice(0, steps * k), beta = tables.Slice(steps * k, steps * k);
        Span<double> exps = tables.Slice(2 * steps * k, k * k), a = tables.Slice(2 * steps * k + k * k, k), b = tables.Slice(2 * steps * k + k * k + k, k);
        double shift = ExpTransitions(exps);
        double logZ = Forward(emissions, alpha, exps, shift, a);
        if (gradientScale == 0) return score - logZ;
        Backward(emissions, beta, exps, shift, b);

        // Gold counts minus expected counts. A pair marginal factors as a_i * exp(trans_ij) * b_j * c, so each
        // step needs 2K exponentials instead of K^2.
        dStart[tags[0]] += gradientScale;
        dEnd[tags[steps - 1]] += gradientScale;
        for (int t = 1; t < steps; t++) dTrans[tags[t - 1] * k + tags[t]] += gradientScale;
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < k; j++)
            {
                double marginal = Math.Exp(alpha[t * k + j] + beta[t * k + j] - logZ);
                if (!dEmissions.IsEmpty) dEmissions[t * k + j] += gradientScale * ((tags[t] == j ? 1f : 0f) - (float)marginal);
                if (t == 0) dStart[j] -= gradientScale * (float)marginal;
                if (t == steps - 1) dEnd[j] -= gradientScale * (float)marginal;
            }
            if (t == 0) continue;
            double m1 = Exponentials(alpha.Slice((t - 1) * k, k), a);
            for (int j = 0; j < k; j++) b[j] = emissions[t * k + j] + beta[t * k + j];
            double m2 = Exponentials(b, b);
            if (double.IsNegativeInfinity(m1) || double.IsNegativeInfinity(m2)) continue;
            double c = Math.Exp(m1 + m2 + shift - logZ) * gradientScale;
            for (int i = 0; i < k; i++)
            {
                double ai = a[i] * c;
                if (ai == 0) continue;
                ReadOnlySpan<double> row = exps.Slice(i * k, k);
                Span<float> dRow = dTrans.Slice(i * k, k);
                for (int j = 0; j < k; j++) dRow[j] -= (float)(ai * row[j] * b[j]);
            }
        }
        return score - logZ;
    }

    /// <summary>Doubles of caller-owned table space the dynamic programs need for <paramref name="steps"/> steps: alpha, beta, exp(transitions) and two K-vectors.</summary>
    internal int TableSize(int steps) => 2 * steps * TagCount + TagCount * TagCount + 2 * TagCount;

    /// <summary>log Z, the log-sum of the scores of all tag paths.</summary>
    public double LogPartition(ReadOnlySpan<float> emissions)
    {
        int steps = Steps(emissions), k = TagCount;
        Span<double> tables = new double[TableSize(steps)];
        Span<double> exps = tables.Slice(2 * steps * k, k * k);
        double shift = ExpTransitions(exps);
        return Forward(emissions, tables.Slice(0, steps * k), exps, shift, tables.Slice(2 * steps * k + k * k, k));
    }

    /// <summary>The score of one tag path.</summary>
    public double PathScore(ReadOnlySpan<float> emissions, ReadOnlySpan<int> tags)
    {
        int steps = Steps(emissions), k = TagCount;
        double s = Start(tags[0]) + End(tags[steps - 1]);
        for (int t = 0; t < steps; t++)
        {
            s += emissions[t * k + tags[t]];
            if (t > 0) s += Trans(Transitions.Value, tags[t - 1], tags[t]);
        }
        return s;
    }

    /// <summary>Writes p(y_t = k | emissions) into <paramref name="marginals"/> [T, K].</summary>
    public void Marginals(ReadOnlySpan<float> emissions, Span<float> marginals) =>
        Marginals(emissions, marginals, new double[TableSize(Steps(emissions))]);

    /// <summary><see cref="Marginals(ReadOnlySpan{float}, Span{float})"/> on caller-owned tables of <see cref="TableSize"/> doubles.</summary>
    internal void Marginals(ReadOnlySpan<float> emissions, Span<float> marginals, Span<double> tables)
    {
        int steps = Steps(emissions), k = TagCount;
        if (marginals.Length != emissions.Length) throw new ArgumentException($"marginals must hold {emissions.Length} values but holds {marginals.Length}.", nameof(marginals));
        Span<double> alpha = tables.Slice(0, steps * k), beta = tables.Slice(steps * k, steps * k);
        Span<double> exps = tables.Slice(2 * steps * k, k * k), scratch = tables.Slice(2 * steps * k + k * k, k);
        double shift = ExpTransitions(exps);
        double logZ = Forward(emissions, alpha, exps, shift, scratch);
        Backward(emissions, beta, exps, shift, scratch);
        for (int i = 0; i < alpha.Length; i++) marginals[i] = (float)Math.Exp(alpha[i] + beta[i] - logZ);
    }

    /// <summary>
    /// The highest-scoring tag path (Viterbi), restricted by <paramref name="constraints"/>, or by
    /// <see cref="Constraints"/> when null (e.g. no I-X after O in BIO). Returns the path and its score.
    /// </summary>
    /// <exception cref="InvalidOperationException">The constraints allow no path of this length.</exception>
    public (int[] Path, double Score) Viterbi(ReadOnlySpan<float> emissions, TagConstraints? constraints = null)
    {
        int steps = Steps(emissions);
        int[] path = new int[steps];
        double score = Viterbi(emissions, constraints, path, new double[steps * TagCount], new int[steps * TagCount]);
        return (path, score);
    }

    /// <summary>Viterbi into <paramref name="path"/> [T] on caller-owned tables (T*K each); returns the best score.</summary>
    internal double Viterbi(ReadOnlySpan<float> emissions, TagConstraints? constraints, Span<int> path, Span<double> score, Span<int> back)
    {
        int steps = Steps(emissions), k = TagCount;
        constraints ??= _constraints;
        if (constraints is not null && constraints.TagCount != k)
            throw new ArgumentException($"The constraints are for {constraints.TagCount} tags; the CRF has {k}.", nameof(constraints));
        float[] trans = Transitions.Value;
        for (int j = 0; j < k; j++)
            score[j] = constraints?.CanStart(j) == false ? double.NegativeInfinity : StartTransitions.Value[j] + emissions[j];
        for (int t = 1; t < steps; t++)
            for (int j = 0; j < k; j++)
            {
                double best = double.NegativeInfinity;
                int arg = 0;
                for (int i = 0; i < k; i++)
                {
                    if (constraints?.CanFollow(i, j) == false) continue;
                    double s = score[(t - 1) * k + i] + trans[i * k + j];
                    if (s > best) { best = s; arg = i; }
                }
                score[t * k + j] = best + emissions[t * k + j];
                back[t * k + j] = arg;
            }
        double bestFinal = double.NegativeInfinity;
        int last = 0;
        for (int j = 0; j < k; j++)
        {
            if (constraints?.CanEnd(j) == false) continue;
            double s = score[(steps - 1) * k + j] + EndTransitions.Value[j];
            if (s > bestFinal) { bestFinal = s; last = j; }
        }
        if (double.IsNegativeInfinity(bestFinal)) throw new InvalidOperationException($"The tag constraints allow no path of length {steps}.");
        path[steps - 1] = last;
        for (int t = steps - 1; t > 0; t--) path[t - 1] = back[t * k + path[t]];
        return bestFinal;
    }

    /// <summary>exps[i, j] = exp(trans(i, j) - shift) with disallowed transitions 0; returns the shift (the largest allowed transition score).</summary>
    private double ExpTransitions(Span<double> exps)
    {
        int k = TagCount;
        float[] trans = Transitions.Value;
        double shift = double.NegativeInfinity;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) shift = Math.Max(shift, Trans(trans, i, j));
        if (double.IsNegativeInfinity(shift)) shift = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) exps[i * k + j] = Math.Exp(Trans(trans, i, j) - shift);
        return shift;
    }

    /// <summary>Writes exp(values - max) into <paramref name="result"/> (which may be <paramref name="values"/>) and returns the max (-inf when all are -inf, result then all 0).</summary>
    private static double Exponentials(ReadOnlySpan<double> values, Span<double> result)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) if (v > max) max = v;
        for (int i = 0; i < values.Length; i++) result[i] = double.IsNegativeInfinity(max) ? 0 : Math.Exp(values[i] - max);
        return max;
    }

    /// <summary>alpha[t, j] = log sum_i exp(alpha[t-1, i] + trans(i, j)) + em[t, j], factored as max + log(sum_i a_i exp(trans_ij)); returns log Z.</summary>
    private double Forward(ReadOnlySpan<float> emissions, Span<double> alpha, ReadOnlySpan<double> exps, double shift, Span<double> a)
    {
        int k = TagCount, steps = emissions.Length / k;
        for (int j = 0; j < k; j++) alpha[j] = Start(j) + emissions[j];
        for (int t = 1; t < steps; t++)
        {
            double m = Exponentials(alpha.Slice((t - 1) * k, k), a);
            for (int j = 0; j < k; j++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++) sum += a[i] * exps[i * k + j];
                alpha[t * k + j] = (sum > 0 ? m + shift + Math.Log(sum) : double.NegativeInfinity) + emissions[t * k + j];
            }
        }
        Span<double> terms = a;
        for (int j = 0; j < k; j++) terms[j] = alpha[(steps - 1) * k + j] + End(j);
        return LogSpace.Sum(terms);
    }

    /// <summary>beta[t, i] = log sum_j exp(trans(i, j) + em[t+1, j] + beta[t+1, j]), factored the same way.</summary>
    private void Backward(ReadOnlySpan<float> emissions, Span<double> beta, ReadOnlySpan<double> exps, double shift, Span<double> b)
    {
        int k = TagCount, steps = emissions.Length / k;
        for (int j = 0; j < k; j++) beta[(steps - 1) * k + j] = End(j);
        for (int t = steps - 2; t >= 0; t--)
        {
            for (int j = 0; j < k; j++) b[j] = emissions[(t + 1) * k + j] + beta[(t + 1) * k + j];
            double m = Exponentials(b, b);
            for (int i = 0; i < k; i++)
            {
                double sum = 0;
                ReadOnlySpan<double> row = exps.Slice(i * k, k);
                for (int j = 0; j < k; j++) sum += row[j] * b[j];
                beta[t * k + i] = sum > 0 ? m + shift + Math.Log(sum) : double.NegativeInfinity;
            }
        }
    }

    private double Trans(float[] trans, int from, int to) =>
        _constraints is { } c && !c.CanFollow(from, to) ? double.NegativeInfinity : trans[from * TagCount + to];

    private double Start(int tag) => _constraints is { } c && !c.CanStart(tag) ? double.NegativeInfinity : StartTransitions.Value[tag];

    private double End(int tag) => _constraints is { } c && !c.CanEnd(tag) ? double.NegativeInfinity : EndTransitions.Value[tag];

    private int Steps(ReadOnlySpan<float> emissions)
    {
        if (emissions.Length == 0 || emissions.Length % TagCount != 0)
            throw new ArgumentException($"emissions hold {emissions.Length} values, not a positive multiple of K={TagCount}.", nameof(emissions));
        Guard.Finite(emissions, nameof(emissions));
        return emissions.Length / TagCount;
    }
}
