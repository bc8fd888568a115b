using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Engine.Decoding;

/// <summary>A decoded labeling with its log score.</summary>
/// <param name="Labels">The labels, blanks removed and repeats collapsed.</param>
/// <param name="LogScore">log p(labels | x) from the search, plus the weighted LM score if a scorer was given.</param>
public sealed record CtcHypothesis(int[] Labels, double LogScore);

/// <summary>
/// Scores extending <paramref name="prefix"/> by <paramref name="next"/> under an external language
/// model; returns a log-probability (weighted by the caller's LM weight).
/// </summary>
public delegate double CtcLanguageModel(IReadOnlyList<int> prefix, int next);

/// <summary>Decoders for CTC outputs given per-frame log-probabilities [T, C].</summary>
public static class CtcDecoder
{
    /// <summary>Best path: the most likely class per frame, repeats collapsed, blanks removed.</summary>
    public static int[] Greedy(ReadOnlySpan<float> logProbs, int classes, int blank) => [.. GreedyWithTimes(logProbs, classes, blank).Select(x => x.Label)];

    /// <summary>The best path's labels with the frame of each one's spike (the first frame of its run).</summary>
    public static IReadOnlyList<(int Label, int Frame)> GreedyWithTimes(ReadOnlySpan<float> logProbs, int classes, int blank)
    {
        Check(logProbs, classes, blank);
        var labels = new List<(int, int)>();
        int previous = -1;
        for (int t = 0; t < logProbs.Length / classes; t++)
        {
            ReadOnlySpan<float> row = logProbs.Slice(t * classes, classes);
            int best = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
            if (best != blank && best != previous) labels.Add((best, t));
            previous = best;
        }
        return labels;
    }

    /// <summary>
    /// Prefix beam search (Hannun et al. 2014): keeps the <paramref name="beamWidth"/> most probable
    /// prefixes, tracking for each the probability of ending in a blank and in a non-blank, so that
    /// all alignments of a labeling are summed. Returns up to <paramref name="beamWidth"/> hypotheses,
    /// best first.
    /// </summary>
    /// <param name="logProbs">[T, C] per-frame log-probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="blank">Blank index.</param>
    /// <param name="beamWidth">Prefixes kept per frame.</param>
    /// <param name="languageModel">Optional LM scorer applied whenever a prefix grows by a label.</param>
    /// <param name="languageModelWeight">Weight of the LM score.</param>
    /// <param name="insertionBonus">Log-score added per emitted label (balances the LM's length penalty).</param>
    public static IReadOnlyList<CtcHypothesis> BeamSearch(ReadOnlySpan<float> logProbs, int classes, int blank, int beamWidth,
        CtcLanguageModel? languageModel = null, double languageModelWeight = 0, double insertionBonus = 0)
    {
        Check(logProbs, classes, blank);
        ArgumentOutOfRangeException.ThrowIfLessThan(beamWidth, 1);
        var comparer = new PrefixComparer();
        // Each entry: (log p ending in blank, log p ending in non-blank, accumulated LM/bonus score).
        var beam = new Dictionary<int[], (double Blank, double NonBlank, double Extra)>(comparer) { [[]] = (0, double.NegativeInfinity, 0) };
        int frames = logProbs.Length / classes;
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> row = logProbs.Slice(t * classes, classes);
            var next = new Dictionary<int[], (double Blank, double NonBlank, double Extra)>(comparer);
            void AddTo(int[] prefix, double blankP, double nonBlankP, double extra)
            {
                if (next.TryGetValue(prefix, out var e)) next[prefix] = (LogSpace.Add(e.Blank, blankP), LogSpace.Add(e.NonBlank, nonBlankP), e.Extra);
                else next[prefix] = (blankP, nonBlankP, extra);
            }
            foreach (var (prefix, (pb, pnb, extra)) in beam)
            {
                double total = LogSpace.Add(pb, pnb);
                AddTo(prefix, total + row[blank], double.NegativeInfinity, extra);
                for (int k = 0; k < classes; k++)
                {
                    if (k == blank) continue;
                    double p = row[k];
                    if (prefix.Length > 0 && prefix[^1] == k)
                    {
                        // Repeat without a blank between collapses into the same prefix.
                        AddTo(prefix, double.NegativeInfinity, pnb + p, extra);
                        // A new copy of k needs a blank in between.
                        AddTo(Extend(prefix, k), double.NegativeInfinity, pb + p, extra + Bonus(prefix, k));
                    }
                    else AddTo(Extend(prefix, k), double.NegativeInfinity, total + p, extra + Bonus(prefix, k));
                }
            }
            beam = next.OrderByDescending(e => LogSpace.Add(e.Value.Blank, e.Value.NonBlank) + e.Value.Extra)
                .Take(beamWidth).ToDictionary(e => e.Key, e => e.Value, comparer);
        }
        return beam.Select(e => new CtcHypothesis(e.Key, LogSpace.Add(e.Value.Blank, e.Value.NonBlank) + e.Value.Extra))
            .OrderByDescending(h => h.LogScore).ToArray();

        double Bonus(int[] prefix, int k) => insertionBonus + (languageModel is null ? 0 : languageModelWeight * languageModel(prefix, k));
    }

    private static int[] Extend(int[] prefix, int label)
    {
        int[] longer = new int[prefix.Length + 1];
        prefix.CopyTo(longer, 0);
        longer[^1] = label;
        return longer;
    }

    private static void Check(ReadOnlySpan<float> logProbs, int classes, int blank)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "CTC needs at least two classes.");
        if (blank < 0 || blank >= classes) throw new ArgumentOutOfRangeException(nameof(blank), blank, $"The blank index must be in [0, {classes}).");
        if (logProbs.Length % classes != 0) throw new ArgumentException($"logProbs hold {logProbs.Length} values, not a multiple of C={classes}.", nameof(logProbs));
    }

    private sealed class PrefixComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var hash = new HashCode();
            foreach (int v in obj) hash.Add(v);
            return hash.ToHashCode();
        }
    }
}
