using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>
/// Beam search over a language model: all k hypotheses advance as one batch of k streams; each step keeps
/// the k best extensions by log-probability; a hypothesis ends at the end-of-text symbol or the maximum
/// length, and the best ended one by log-probability / length^alpha wins. Width 1 is greedy decoding.
/// </summary>
internal static class BeamSearch
{
    public static string Run(TextGenerator generator, string prompt, GenerationOptions options)
    {
        var network = generator.Network;
        SymbolVocabulary vocabulary = generator.Vocabulary;
        int width = options.BeamWidth, v = vocabulary.Size;
        (RecurrentState state, int first) = generator.Prime(prompt, width);
        RecurrentState next = network.NewState(width), reordered = network.NewState(width);
        // Start with one live hypothesis (the others are copies that must not be extended twice).
        var beams = new List<(List<int> Symbols, double Score)> { ([], 0) };
        int[] inputs = new int[width];
        Array.Fill(inputs, first);
        var finished = new List<(List<int> Symbols, double Score)>();
        for (int step = 0; step < options.MaximumLength && beams.Count > 0; step++)
        {
            ReadOnlySpan<float> logits = network.Step(inputs, state, next, width);
            var candidates = new List<(int Beam, int Symbol, double Score)>();
            for (int b = 0; b < beams.Count; b++)
            {
                ReadOnlySpan<float> row = logits.Slice(b * v, v);
                double logZ = LogSpace.Sum(row);
                for (int s = 0; s < v; s++)
                    if (s != SymbolVocabulary.Unknown) candidates.Add((b, s, beams[b].Score + row[s] - logZ));
            }
            candidates.Sort((x, y) => y.Score.CompareTo(x.Score) is int c && c != 0 ? c : (x.Beam, x.Symbol).CompareTo((y.Beam, y.Symbol)));
            var kept = new List<(List<int> Symbols, double Score)>();
            var parents = new List<int>();
            foreach ((int beam, int symbol, double score) in candidates)
            {
                if (kept.Count == width) break;
                List<int> symbols = [.. beams[beam].Symbols, symbol];
                bool ended = symbol == SymbolVocabulary.EndOfText || step + 1 == options.MaximumLength
                    || (options.StopString is string stop && vocabulary.Decode(symbols).Contains(stop, StringComparison.Ordinal));
                if (ended) { finished.Add((symbols, score)); if (finished.Count >= width) break; continue; }
                kept.Add((symbols, score));
                parents.Add(beam);
            }
            if (finished.Count >= width) break;
            // Each kept hypothesis continues from its parent's state.
            for (int b = 0; b < parents.Count; b++) next.CopyRowTo(parents[b], reordered, b);
            (state, reordered) = (reordered, state);
            beams = kept;
            for (int b = 0; b < beams.Count; b++) inputs[b] = beams[b].Symbols[^1];
        }
        finished.AddRange(beams);
        (List<int> best, _) = finished.MaxBy(h => h.Score / Math.Pow(Math.Max(1, h.Symbols.Count), options.LengthNormalization));
        string text = (generator.Continues(prompt) && best.Count > 0 && best[0] != SymbolVocabulary.EndOfText ? " " : "") + vocabulary.Decode(best.Where(s => s != SymbolVocabulary.EndOfText));
        return options.StopString is string cut && text.IndexOf(cut, StringComparison.Ordinal) is int at && at >= 0 ? text[..at] : text;
    }
}
