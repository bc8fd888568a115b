using System.Numerics;
using Microsoft.ML.Recurrent.Engine.Decoding;

namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>
/// Viterbi decoding, vectorized over the destination tag: each step takes, for every tag j at once, the best
/// of score[t-1, i] + trans(i, j) over i, keeping the first i that attains it (as a scalar loop over i would).
/// Disallowed starts, transitions and ends score minus infinity, so no best path uses them.
/// </summary>
public sealed partial class LinearChainCrf
{
    /// <summary>
    /// The highest-scoring tag path (Viterbi), restricted by <paramref name="constraints"/>, or by
    /// <see cref="Constraints"/> when null (e.g. no I-X after O in BIO). Returns the path and its score.
    /// </summary>
    /// <exception cref="InvalidOperationException">The constraints allow no path of this length.</exception>
    public (int[] Path, double Score) Viterbi(ReadOnlySpan<float> emissions, TagConstraints? constraints = null)
    {
        int steps = Steps(emissions);
        int[] path = new int[steps];
        double score = Viterbi(emissions, constraints, path, new double[ViterbiTableSize], new int[steps * TagCount]);
        return (path, score);
    }

    /// <summary>Doubles of table space <see cref="Viterbi(ReadOnlySpan{float}, TagConstraints?, Span{int}, Span{double}, Span{int})"/> needs: the transitions [K, Kp] and two score rows [Kp], Kp being K rounded up to whole vectors.</summary>
    internal int ViterbiTableSize => (TagCount + 2) * PaddedTagCount;

    private int PaddedTagCount => (TagCount + Vector<double>.Count - 1) / Vector<double>.Count * Vector<double>.Count;

    /// <summary>Viterbi into <paramref name="path"/> [T] on caller-owned tables (<see cref="ViterbiTableSize"/> doubles, T*K back-pointers); returns the best score.</summary>
    internal double Viterbi(ReadOnlySpan<float> emissions, TagConstraints? constraints, Span<int> path, Span<double> table, Span<int> back)
    {
        int steps = Steps(emissions), k = TagCount, kp = PaddedTagCount, lanes = Vector<double>.Count;
        constraints ??= _constraints;
        if (constraints is not null && constraints.TagCount != k)
            throw new ArgumentException($"The constraints are for {constraints.TagCount} tags; the CRF has {k}.", nameof(constraints));
        Span<double> trans = table.Slice(0, k * kp), previous = table.Slice(k * kp, kp), current = table.Slice((k + 1) * kp, kp);
        float[] weights = Transitions.Value;
        trans.Fill(double.NegativeInfinity);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                if (constraints?.CanFollow(i, j) != false) trans[i * kp + j] = weights[i * k + j];
        for (int j = 0; j < k; j++)
            previous[j] = constraints?.CanStart(j) == false ? double.NegativeInfinity : (double)StartTransitions.Value[j] + emissions[j];
        for (int t = 1; t < steps; t++)
        {
            for (int j0 = 0; j0 < kp; j0 += lanes)
            {
                var best = new Vector<double>(double.NegativeInfinity);
                Vector<long> arg = Vector<long>.Zero;
                for (int i = 0; i < k; i++)
                {
                    Vector<double> candidate = new Vector<double>(previous[i]) + new Vector<double>(trans.Slice(i * kp + j0, lanes));
                    Vector<long> better = Vector.GreaterThan(candidate, best);
                    best = Vector.ConditionalSelect(better, candidate, best);
                    arg = Vector.ConditionalSelect(better, new Vector<long>(i), arg);
                }
                best.CopyTo(current.Slice(j0, lanes));
                for (int j = j0; j < Math.Min(j0 + lanes, k); j++) back[t * k + j] = (int)arg[j - j0];
            }
            for (int j = 0; j < k; j++) previous[j] = current[j] + emissions[t * k + j];
        }
        double bestFinal = double.NegativeInfinity;
        int last = 0;
        for (int j = 0; j < k; j++)
        {
            if (constraints?.CanEnd(j) == false) continue;
            double s = previous[j] + EndTransitions.Value[j];
            if (s > bestFinal) { bestFinal = s; last = j; }
        }
        if (double.IsNegativeInfinity(bestFinal)) throw new InvalidOperationException($"The tag constraints allow no path of length {steps}.");
        path[steps - 1] = last;
        for (int t = steps - 1; t > 0; t--) path[t - 1] = back[t * k + path[t]];
        return bestFinal;
    }
}
