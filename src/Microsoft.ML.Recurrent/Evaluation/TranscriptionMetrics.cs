using System.Text;

namespace Microsoft.ML.Recurrent;

/// <summary>Word and character error rates over a dataset of transcripts, with the counts behind them and each utterance's alignment.</summary>
public sealed class TranscriptionMetrics
{
    internal TranscriptionMetrics(IReadOnlyList<(EditDistance Words, EditDistance Characters)> utterances)
    {
        Utterances = utterances;
        Words = Sum(utterances.Select(u => u.Words));
        Characters = Sum(utterances.Select(u => u.Characters));
    }

    /// <summary>Word-level S, D, I and N summed over the utterances.</summary>
    public (long Substitutions, long Deletions, long Insertions, long ReferenceLength) Words { get; }

    /// <summary>Character-level S, D, I and N summed over the utterances (spaces between words count as characters).</summary>
    public (long Substitutions, long Deletions, long Insertions, long ReferenceLength) Characters { get; }

    /// <summary>(S + D + I) / N over words.</summary>
    public double WordErrorRate => Rate(Words);

    /// <summary>(S + D + I) / N over characters.</summary>
    public double CharacterErrorRate => Rate(Characters);

    /// <summary>Each utterance's word and character alignments, in input order (for error analysis).</summary>
    public IReadOnlyList<(EditDistance Words, EditDistance Characters)> Utterances { get; }

    /// <summary>A printable report: WER and CER with their counts.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Utterances.Count:N0} utterances, {Words.ReferenceLength:N0} reference words");
        text.AppendLine($"WER {100 * WordErrorRate:F2} %  (S {Words.Substitutions}, D {Words.Deletions}, I {Words.Insertions})");
        text.Append($"CER {100 * CharacterErrorRate:F2} %  (S {Characters.Substitutions}, D {Characters.Deletions}, I {Characters.Insertions})");
        return text.ToString();
    }

    private static (long, long, long, long) Sum(IEnumerable<EditDistance> all)
    {
        long s = 0, d = 0, i = 0, n = 0;
        foreach (EditDistance e in all) { s += e.Substitutions; d += e.Deletions; i += e.Insertions; n += e.ReferenceLength; }
        return (s, d, i, n);
    }

    private static double Rate((long S, long D, long I, long N) c) => c.N == 0 ? (c.S + c.D + c.I == 0 ? 0 : double.PositiveInfinity) : (double)(c.S + c.D + c.I) / c.N;
}

/// <summary>Scores transcripts against references: words split on whitespace, characters one by one (whitespace runs as one space).</summary>
public static class TranscriptionEvaluator
{
    /// <summary>WER and CER of <paramref name="pairs"/> (reference, hypothesis) over the whole dataset.</summary>
    public static TranscriptionMetrics Evaluate(IEnumerable<(string Reference, string Hypothesis)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var utterances = new List<(EditDistance, EditDistance)>();
        foreach ((string reference, string hypothesis) in pairs)
        {
            ArgumentNullException.ThrowIfNull(reference, nameof(pairs));
            ArgumentNullException.ThrowIfNull(hypothesis, nameof(pairs));
            string[] rw = Words(reference), hw = Words(hypothesis);
            utterances.Add((EditDistance.Align(rw, hw), EditDistance.Align(Characters(rw), Characters(hw))));
        }
        if (utterances.Count == 0) throw new ArgumentException("There are no utterances to evaluate.", nameof(pairs));
        return new TranscriptionMetrics(utterances);
    }

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static string[] Characters(string[] words) => [.. string.Join(' ', words).Select(c => c.ToString())];
}
