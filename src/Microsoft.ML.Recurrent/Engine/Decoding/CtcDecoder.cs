using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Engine.Decoding;

/// <summary>A decoded labeling with its log score.</summary>
/// <param name="Labels">The labels, blanks removed and repeats collapsed.</param>
/// <param name="LogScore">log p(labels | x) from the search, plus the weighted LM score if a scorer was given.</param>
public sealed record CtcHypothesis(int[] Labels, double LogScore);

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
    public static IReadOnlyList<CtcHypothesis> BeamSearch(ReadOnlySpan<float> logProbs, int classes, int blank, int beamWidth) =>
        BeamSearch(logProbs, classes, blank, beamWidth, NoScorer.Instance);

    /// <summary>
    /// Prefix beam search with a scorer (a language model, a lexicon, an insertion bonus: see <see cref="CtcPrefixScorer"/>)
    /// that adds a log-score whenever a prefix grows by a label (negative infinity forbids the label there) and when a
    /// hypothesis ends; prefixes are ranked by their acoustic log-probability plus those scores.
    /// </summary>
    /// <param name="logProbs">[T, C] per-frame log-probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="blank">Blank index.</param>
    /// <param name="beamWidth">Prefixes kept per frame.</param>
    /// <param name="scorer">Scores growing and ending prefixes.</param>
    public static IReadOnlyList<CtcHypothesis> BeamSearch<TState>(ReadOnlySpan<float> logProbs, int classes, int blank, int beamWidth, ICtcPrefixScorer<TState> scorer)
    {
        Check(logProbs, classes, blank);
        ArgumentOutOfRangeException.ThrowIfLessThan(beamWidth, 1);
        ArgumentNullException.ThrowIfNull(scorer);
        var comparer = new PrefixComparer();
        var beam = new Dictionary<int[], Entry<TState>>(comparer) { [[]] = new(0, double.NegativeInfinity, 0, scorer.Start()) };
        int frames = logProbs.Length / classes;
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> row = logProbs.Slice(t * classes, classes);
            var next = new Dictionary<int[], Entry<TState>>(comparer);
            void AddTo(int[] prefix, double blankP, double nonBlankP, double extra, TState state)
            {
                if (next.TryGetValue(prefix, out var e)) next[prefix] = e with { Blank = LogSpace.Add(e.Blank, blankP), NonBlank = LogSpace.Add(e.NonBlank, nonBlankP) };
                else next[prefix] = new(blankP, nonBlankP, extra, state);
            }
            foreach (var (prefix, entry) in beam)
            {
                double total = LogSpace.Add(entry.Blank, entry.NonBlank);
                AddTo(prefix, total + row[blank], double.NegativeInfinity, entry.Extra, entry.State);
                for (int k = 0; k < classes; k++)
                {
                    if (k == blank) continue;
                    double p = row[k];
                    bool repeat = prefix.Length > 0 && prefix[^1] == k;
                    // A repeat without a blank between collapses into the same prefix.
                    if (repeat) AddTo(prefix, double.NegativeInfinity, entry.NonBlank + p, entry.Extra, entry.State);
                    double score = scorer.Extend(entry.State, k, out TState grown);
                    if (double.IsNegativeInfinity(score)) continue;
                    // A new copy of a repeated label needs a blank in between.
                    AddTo(Extend(prefix, k), double.NegativeInfinity, (repeat ? entry.Blank : total) + p, entry.Extra + score, grown);
                }
            }
            beam = next.OrderByDescending(e => LogSpace.Add(e.Value.Blank, e.Value.NonBlank) + e.Value.Extra)
                .Take(beamWidth).ToDictionary(e => e.Key, e => e.Value, comparer);
        }
        return beam.Select(e => new CtcHypothesis(e.Key, LogSpace.Add(e.Value.Blank, e.Value.NonBlank) + e.Value.Extra + scorer.Finish(e.Value.State)))
            .Where(h => !double.IsNegativeInfinity(h.LogScore)).OrderByDescending(h => h.LogScore).ToArray();
    }

    /// <summary>
    /// The frame of each label's spike in the most probable alignment of <paramref name="labels"/> (CTC forced alignment,
    /// Viterbi over the blank-interleaved labels): the first frame of each label's run.
    /// </summary>
    /// <param name="logProbs">[T, C] per-frame log-probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="blank">Blank index.</param>
    /// <param name="labels">The labeling to align (no blanks); it must fit in the frames.</param>
    public static int[] Align(ReadOnlySpan<float> logProbs, int classes, int blank, IReadOnlyList<int> labels)
    {
        Check(logProbs, classes, blank);
        ArgumentNullException.ThrowIfNull(labels);
        int frames = logProbs.Length / classes, states = 2 * labels.Count + 1;
        if (labels.Count == 0) return [];
        int Label(int s) => s % 2 == 0 ? blank : labels[s / 2];
        var score = new double[states];
        var back = new int[frames, states];
        Array.Fill(score, double.NegativeInfinity);
        score[0] = logProbs[Label(0)];
        score[1] = logProbs[Label(1)];
        for (int t = 1; t < frames; t++)
        {
            var current = new double[states];
            for (int s = 0; s < states; s++)
            {
                int from = s;
                if (s >= 1 && score[s - 1] > score[from]) from = s - 1;
                if (s >= 2 && Label(s) != blank && Label(s) != Label(s - 2) && score[s - 2] > score[from]) from = s - 2;
                current[s] = score[from] + logProbs[t * classes + Label(s)];
                back[t, s] = from;
            }
            score = current;
        }
        int end = states == 1 || score[states - 1] >= score[states - 2] ? states - 1 : states - 2;
        if (double.IsNegativeInfinity(score[end])) throw new ArgumentException($"{labels.Count} labels cannot be aligned to {frames} frames.", nameof(labels));
        var spikes = new int[labels.Count];
        for (int t = frames - 1, s = end; t >= 0; t--)
        {
            if (s % 2 == 1) spikes[s / 2] = t;   // walking back, the last write is the run's first frame
            if (t > 0) s = back[t, s];
        }
        return spikes;
    }

    private readonly record struct Entry<TState>(double Blank, double NonBlank, double Extra, TState State);

    private sealed class NoScorer : ICtcPrefixScorer<byte>
    {
        public static readonly NoScorer Instance = new();

        public byte Start() => 0;

        public double Extend(byte state, int label, out byte next)
        {
            next = 0;
            return 0;
        }

        public double Finish(byte state) => 0;
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
