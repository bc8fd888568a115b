using System.Numerics.Tensors;
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
public sealed partial class LinearChainCrf
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
        Span<double> exps = tables.Slice(2 * steps * k, k * k), pairs = tables.Slice(2 * steps * k + k * k, k * k);
        Span<double> a = tables.Slice(2 * steps * k + 2 * k * k, k), b = tables.Slice(2 * steps * k + 2 * k * k + k, k), c = tables.Slice(2 * steps * k + 2 * k * k + 2 * k, k);
        double shift = ExpTransitions(exps);
        double logZ = Forward(emissions, alpha, exps, shift, a, c);
        if (gradientScale == 0) return score - logZ;
        Backward(emissions, beta, exps, shift, b, c);

        // Gold counts minus expected counts. A pair marginal factors as a_i * b_j * scale * exp(trans_ij), so each
        // step needs 2K exponentials instead of K^2; the expected pair counts gather in float64 until the end.
        dStart[tags[0]] += gradientScale;
        dEnd[tags[steps - 1]] += gradientScale;
        for (int t = 1; t < steps; t++) dTrans[tags[t - 1] * k + tags[t]] += gradientScale;
        pairs.Clear();
        for (int t = 0; t < steps; t++)
        {
            Span<double> marginals = c;
            TensorPrimitives.Add(alpha.Slice(t * k, k), beta.Slice(t * k, k), marginals);
            TensorPrimitives.Subtract(marginals, logZ, marginals);
            TensorPrimitives.Exp(marginals, marginals);
            for (int j = 0; j < k; j++)
            {
                float marginal = (float)marginals[j];
                if (!dEmissions.IsEmpty) dEmissions[t * k + j] += gradientScale * ((tags[t] == j ? 1f : 0f) - marginal);
                if (t == 0) dStart[j] -= gradientScale * marginal;
                if (t == steps - 1) dEnd[j] -= gradientScale * marginal;
            }
            if (t == 0) continue;
            double m1 = Exponentials(alpha.Slice((t - 1) * k, k), a);
            for (int j = 0; j < k; j++) b[j] = emissions[t * k + j] + beta[t * k + j];
            double m2 = Exponentials(b, b);
            if (double.IsNegativeInfinity(m1) || double.IsNegativeInfinity(m2)) continue;
            double scale = Math.Exp(m1 + m2 + shift - logZ);
            // pairs += outer(a * scale, b); the factor exps, the same at every step, is applied once at the end.
            for (int i = 0; i < k; i++)
                if (a[i] != 0) ShortVectors.AddScaled(b, a[i] * scale, pairs.Slice(i * k, k));
        }
        for (int i = 0; i < k * k; i++) dTrans[i] -= (float)(gradientScale * pairs[i] * exps[i]);
        return score - logZ;
    }

    /// <summary>Doubles of caller-owned table space the dynamic programs need for <paramref name="steps"/> steps: alpha, beta, exp(transitions), expected pair counts and three K-vectors.</summary>
    internal int TableSize(int steps) => 2 * steps * TagCount + 2 * TagCount * TagCount + 3 * TagCount;

    /// <summary>log Z, the log-sum of the scores of all tag paths.</summary>
    public double LogPartition(ReadOnlySpan<float> emissions)
    {
        int steps = Steps(emissions), k = TagCount;
        Span<double> tables = new double[TableSize(steps)];
        Span<double> exps = tables.Slice(2 * steps * k, k * k);
        double shift = ExpTransitions(exps);
        return Forward(emissions, tables.Slice(0, steps * k), exps, shift, tables.Slice(2 * steps * k + 2 * k * k, k), tables.Slice(2 * steps * k + 2 * k * k + k, k));
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
        Span<double> exps = tables.Slice(2 * steps * k, k * k);
        Span<double> scratch = tables.Slice(2 * steps * k + 2 * k * k, k), sums = tables.Slice(2 * steps * k + 2 * k * k + k, k);
        double shift = ExpTransitions(exps);
        double logZ = Forward(emissions, alpha, exps, shift, scratch, sums);
        Backward(emissions, beta, exps, shift, scratch, sums);
        TensorPrimitives.Add(alpha, beta, alpha);
        TensorPrimitives.Subtract(alpha, logZ, alpha);
        TensorPrimitives.Exp(alpha, alpha);
        for (int i = 0; i < alpha.Length; i++) marginals[i] = (float)alpha[i];
    }

    /// <summary>exps[i, j] = exp(trans(i, j) - shift) with disallowed transitions 0; returns the shift (the largest allowed transition score).</summary>
    private double ExpTransitions(Span<double> exps)
    {
        int k = TagCount;
        float[] trans = Transitions.Value;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) exps[i * k + j] = Trans(trans, i, j);
        double shift = TensorPrimitives.Max<double>(exps);
        if (double.IsNegativeInfinity(shift)) shift = 0;
        TensorPrimitives.Subtract(exps, shift, exps);
        TensorPrimitives.Exp(exps, exps);
        return shift;
    }

    /// <summary>Writes exp(values - max) into <paramref name="result"/> (which may be <paramref name="values"/>) and returns the max (-inf when all are -inf, result then all 0).</summary>
    private static double Exponentials(ReadOnlySpan<double> values, Span<double> result)
    {
        double max = TensorPrimitives.Max(values);
        if (double.IsNegativeInfinity(max))
        {
            result.Slice(0, values.Length).Clear();
            return max;
        }
        TensorPrimitives.Subtract(values, max, result);
        TensorPrimitives.Exp(result.Slice(0, values.Length), result);
        return max;
    }

    /// <summary>
    /// alpha[t, j] = log sum_i exp(alpha[t-1, i] + trans(i, j)) + em[t, j], factored as max + log(sum_i a_i exp(trans_ij));
    /// returns log Z. <paramref name="a"/> and <paramref name="sums"/> are K-vectors of scratch.
    /// </summary>
    private double Forward(ReadOnlySpan<float> emissions, Span<double> alpha, ReadOnlySpan<double> exps, double shift, Span<double> a, Span<double> sums)
    {
        int k = TagCount, steps = emissions.Length / k;
        for (int j = 0; j < k; j++) alpha[j] = Start(j) + emissions[j];
        for (int t = 1; t < steps; t++)
        {
            double m = Exponentials(alpha.Slice((t - 1) * k, k), a);
            // sums = a^T exps, row by row: each sums[j] adds its terms in the order of i.
            sums.Clear();
            for (int i = 0; i < k; i++)
                if (a[i] != 0) ShortVectors.AddScaled(exps.Slice(i * k, k), a[i], sums);
            TensorPrimitives.Log(sums, sums);
            for (int j = 0; j < k; j++) alpha[t * k + j] = m + shift + sums[j] + emissions[t * k + j];
        }
        Span<double> terms = a;
        for (int j = 0; j < k; j++) terms[j] = alpha[(steps - 1) * k + j] + End(j);
        return LogSpace.Sum(terms);
    }

    /// <summary>beta[t, i] = log sum_j exp(trans(i, j) + em[t+1, j] + beta[t+1, j]), factored the same way.</summary>
    private void Backward(ReadOnlySpan<float> emissions, Span<double> beta, ReadOnlySpan<double> exps, double shift, Span<double> b, Span<double> sums)
    {
        int k = TagCount, steps = emissions.Length / k;
        for (int j = 0; j < k; j++) beta[(steps - 1) * k + j] = End(j);
        for (int t = steps - 2; t >= 0; t--)
        {
            for (int j = 0; j < k; j++) b[j] = emissions[(t + 1) * k + j] + beta[(t + 1) * k + j];
            double m = Exponentials(b, b);
            for (int i = 0; i < k; i++) sums[i] = ShortVectors.Dot(exps.Slice(i * k, k), b);
            TensorPrimitives.Log(sums, sums);
            for (int i = 0; i < k; i++) beta[t * k + i] = m + shift + sums[i];
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
