using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>One decoded target: its symbols (without the end symbol), their log-probability and, when asked, each output step's attention weights over the source.</summary>
/// <param name="Symbols">The target ids.</param>
/// <param name="LogProbability">Sum of the log-probabilities of the symbols and of the end symbol (when it was produced).</param>
/// <param name="Attention">Per output step (the end symbol's included), the weights over the source positions; null unless asked.</param>
public sealed record Seq2SeqHypothesis(int[] Symbols, double LogProbability, float[][]? Attention);

/// <summary>
/// Decoding of a <see cref="Seq2SeqNetwork"/> for a batch of sources: greedy (each step takes the most likely symbol)
/// and beam search (each step keeps the <c>width</c> best extensions of a source's live prefixes by log-probability;
/// those that take the end symbol, or reach the maximum length, end; a source is done when none is live, or once
/// <c>width</c> prefixes ended and no live one ranks above the best of them; the best ended one by log-probability /
/// length^alpha wins, the length counting the end symbol).
/// Width 1 is greedy decoding.
/// </summary>
public static class Seq2SeqSearch
{
    /// <summary>Greedy decoding of every source at once.</summary>
    /// <param name="network">The model (its workspaces are used: one caller at a time).</param>
    /// <param name="sources">Source ids per example, each non-empty.</param>
    /// <param name="maximumLength">Most symbols to produce per source (the end symbol not counted).</param>
    /// <param name="attention">Whether to return each step's attention weights.</param>
    public static Seq2SeqHypothesis[] Greedy(Seq2SeqNetwork network, IReadOnlyList<int[]> sources, int maximumLength, bool attention = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumLength, 1);
        (RecurrentState state, int[] order) = network.EncodeForDecoding(sources, 1);
        int b = sources.Count, v = network.Architecture.TargetVocabularySize, end = network.Architecture.EndOfSequence, s = network.Decoder.Attention.Sources;
        var next = new RecurrentState(network.Decoder.Recurrent, b);
        float[] feed = new float[b * network.Architecture.DecoderHiddenSize], weights = attention ? new float[b * s] : [];
        int[] inputs = Enumerable.Repeat(end, b).ToArray();
        var symbols = new List<int>[b];
        var maps = new List<float[]>[b];
        double[] scores = new double[b];
        bool[] done = new bool[b];
        for (int r = 0; r < b; r++) (symbols[r], maps[r]) = ([], []);
        for (int step = 0; step <= maximumLength && done.Contains(false); step++)
        {
            ReadOnlySpan<float> logits = network.Decoder.Step(inputs, feed, state, next, weights);
            for (int r = 0; r < b; r++)
            {
                if (done[r]) continue;
                ReadOnlySpan<float> row = logits.Slice(r * v, v);
                int best = step == maximumLength ? end : TensorPrimitives.IndexOfMax(row);
                if (step < maximumLength || best == end) scores[r] += row[best] - LogSpace.Sum(row);
                if (attention) maps[r].Add(weights.AsSpan(r * s, sources[order[r]].Length).ToArray());
                if (best == end) done[r] = true;
                else symbols[r].Add(best);
                inputs[r] = best;
            }
            (state, next) = (next, state);
        }
        var result = new Seq2SeqHypothesis[b];
        for (int r = 0; r < b; r++) result[order[r]] = new Seq2SeqHypothesis([.. symbols[r]], scores[r], attention ? [.. maps[r]] : null);
        return result;
    }

    /// <summary>Beam search for every source at once (width rows per source).</summary>
    /// <param name="network">The model (its workspaces are used: one caller at a time).</param>
    /// <param name="sources">Source ids per example, each non-empty.</param>
    /// <param name="width">Prefixes kept per source.</param>
    /// <param name="maximumLength">Most symbols to produce per source (the end symbol not counted).</param>
    /// <param name="lengthNormalization">alpha: finished prefixes rank by log-probability / length^alpha (0: none).</param>
    /// <param name="attention">Whether to return each step's attention weights.</param>
    public static Seq2SeqHypothesis[] Beam(Seq2SeqNetwork network, IReadOnlyList<int[]> sources, int width, int maximumLength, float lengthNormalization = 1f, bool attention = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumLength, 1);
        if (!(lengthNormalization >= 0)) throw new ArgumentOutOfRangeException(nameof(lengthNormalization), lengthNormalization, "Length normalization must be at least 0.");
        (RecurrentState state, int[] order) = network.EncodeForDecoding(sources, width);
        int b = sources.Count, rows = b * width, v = network.Architecture.TargetVocabularySize, end = network.Architecture.EndOfSequence;
        int s = network.Decoder.Attention.Sources, hd = network.Architecture.DecoderHiddenSize;
        var next = new RecurrentState(network.Decoder.Recurrent, rows);
        var reordered = new RecurrentState(network.Decoder.Recurrent, rows);
        float[] feed = new float[rows * hd], feedReordered = new float[rows * hd], weights = attention ? new float[rows * s] : [];
        int[] inputs = Enumerable.Repeat(end, rows).ToArray();
        var live = new List<Prefix>[b];
        var finished = new List<Prefix>[b];
        for (int r = 0; r < b; r++) (live[r], finished[r]) = ([new Prefix([], 0, [])], []);
        float[] logProbabilities = new float[v];
        for (int step = 0; step <= maximumLength && live.Any(l => l.Count > 0); step++)
        {
            ReadOnlySpan<float> logits = network.Decoder.Step(inputs, feed, state, next, weights);
            for (int r = 0; r < b; r++)
            {
                if (live[r].Count == 0) continue;
                var candidates = new List<(int Beam, int Symbol, double Score)>();
                for (int k = 0; k < live[r].Count; k++)
                {
                    ReadOnlySpan<float> row = logits.Slice((r * width + k) * v, v);
                    float logZ = (float)LogSpace.Sum(row);
                    TensorPrimitives.Subtract(row, logZ, logProbabilities);
                    if (step == maximumLength) { candidates.Add((k, end, live[r][k].Score + logProbabilities[end])); continue; }
                    for (int symbol = 0; symbol < v; symbol++) candidates.Add((k, symbol, live[r][k].Score + logProbabilities[symbol]));
                }
                candidates.Sort((x, y) => y.Score.CompareTo(x.Score) is int c && c != 0 ? c : (x.Beam, x.Symbol).CompareTo((y.Beam, y.Symbol)));
                // The `width` best extensions go on: those that end leave the beam for the finished ones, the rest stay live.
                var kept = new List<Prefix>();
                foreach ((int beam, int symbol, double score) in candidates.Take(width))
                {
                    Prefix parent = live[r][beam];
                    List<float[]> maps = attention ? [.. parent.Attention, weights.AsSpan((r * width + beam) * s, sources[order[r]].Length).ToArray()] : [];
                    if (symbol == end) { finished[r].Add(new Prefix(parent.Symbols, score, maps)); continue; }
                    next.CopyRowTo(r * width + beam, reordered, r * width + kept.Count);
                    feed.AsSpan((r * width + beam) * hd, hd).CopyTo(feedReordered.AsSpan((r * width + kept.Count) * hd, hd));
                    inputs[r * width + kept.Count] = symbol;
                    kept.Add(new Prefix([.. parent.Symbols, symbol], score, maps));
                }
                // Done once `width` prefixes ended and none still alive ranks above the best of them.
                live[r] = finished[r].Count >= width && Normalized(finished[r].MaxBy(p => Normalized(p, lengthNormalization))!, lengthNormalization)
                    >= kept.Select(p => Normalized(p, lengthNormalization)).DefaultIfEmpty(double.NegativeInfinity).Max() ? [] : kept;
            }
            (state, reordered) = (reordered, state);
            (feed, feedReordered) = (feedReordered, feed);
        }
        var result = new Seq2SeqHypothesis[b];
        for (int r = 0; r < b; r++)
        {
            Prefix best = finished[r].MaxBy(p => Normalized(p, lengthNormalization))!;
            result[order[r]] = new Seq2SeqHypothesis([.. best.Symbols], best.Score, attention ? [.. best.Attention] : null);
        }
        return result;
    }

    private static double Normalized(Prefix p, float alpha) => p.Score / Math.Pow(p.Symbols.Count + 1, alpha);

    private sealed record Prefix(List<int> Symbols, double Score, List<float[]> Attention);
}
