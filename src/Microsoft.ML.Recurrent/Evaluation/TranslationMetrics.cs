using System.Text;

namespace Microsoft.ML.Recurrent;

/// <summary>How well output sequences match their references: exact match, token error rate and corpus BLEU.</summary>
/// <param name="Sentences">Sources scored.</param>
/// <param name="ExactMatch">Share of sources whose output equals one of their references.</param>
/// <param name="TokenErrorRate">Edit errors over reference tokens, each source against its closest reference (PER for phonemes).</param>
/// <param name="Bleu">Corpus BLEU in [0, 1] (4-gram, brevity penalty, sacreBLEU's "exp" smoothing of zero matches).</param>
/// <param name="Precisions">The modified n-gram precisions for n = 1..4 (after smoothing).</param>
/// <param name="BrevityPenalty">exp(1 - r/c) when the output is shorter than the references, else 1.</param>
/// <param name="HypothesisLength">c, output tokens.</param>
/// <param name="ReferenceLength">r, reference tokens (per source, the reference length closest to the output's; the shorter on a tie).</param>
public sealed record TranslationMetrics(long Sentences, double ExactMatch, double TokenErrorRate, double Bleu, IReadOnlyList<double> Precisions,
    double BrevityPenalty, long HypothesisLength, long ReferenceLength)
{
    /// <summary>A one-line report.</summary>
    public override string ToString() => new StringBuilder()
        .Append($"{Sentences:N0} sources: exact match {100 * ExactMatch:F2} %, token error rate {100 * TokenErrorRate:F2} %, ")
        .Append($"BLEU {100 * Bleu:F2} ({string.Join("/", Precisions.Select(p => (100 * p).ToString("F1")))}, BP {BrevityPenalty:F3}, {HypothesisLength}/{ReferenceLength})")
        .ToString();
}

/// <summary>Scores output token sequences against one or more references per source.</summary>
public static class TranslationEvaluator
{
    private const int Order = 4;

    /// <summary>Exact match, token error rate and corpus BLEU of <paramref name="outputs"/> (each source's references and its output).</summary>
    public static TranslationMetrics Evaluate(IEnumerable<(IReadOnlyList<IReadOnlyList<string>> References, IReadOnlyList<string> Hypothesis)> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        long sentences = 0, exact = 0, errors = 0, referenceTokens = 0, c = 0, r = 0;
        long[] correct = new long[Order], total = new long[Order];
        foreach ((IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<string> hypothesis) in outputs)
        {
            if (references is null || references.Count == 0) throw new ArgumentException($"Source {sentences} has no reference.", nameof(outputs));
            ArgumentNullException.ThrowIfNull(hypothesis, nameof(outputs));
            sentences++;
            if (references.Any(reference => reference.SequenceEqual(hypothesis))) exact++;
            EditDistance closest = references.Select(reference => EditDistance.Align(reference, hypothesis)).MinBy(e => (double)e.Errors / Math.Max(1, e.ReferenceLength))!;
            errors += closest.Errors;
            referenceTokens += closest.ReferenceLength;
            c += hypothesis.Count;
            r += references.Select(reference => reference.Count).OrderBy(length => Math.Abs(length - hypothesis.Count)).ThenBy(length => length).First();
            for (int n = 1; n <= Order; n++)
            {
                Dictionary<string, int> counts = NGrams(hypothesis, n);
                var clip = new Dictionary<string, int>();
                foreach (IReadOnlyList<string> reference in references)
                    foreach ((string gram, int count) in NGrams(reference, n)) clip[gram] = Math.Max(clip.GetValueOrDefault(gram), count);
                foreach ((string gram, int count) in counts) correct[n - 1] += Math.Min(count, clip.GetValueOrDefault(gram));
                total[n - 1] += Math.Max(0, hypothesis.Count - n + 1);
            }
        }
        if (sentences == 0) throw new ArgumentException("There are no outputs to evaluate.", nameof(outputs));
        double[] precisions = new double[Order];
        double smoothing = 1;
        for (int n = 0; n < Order; n++)
        {
            if (total[n] == 0) { precisions[n] = 0; continue; }
            if (correct[n] == 0) { smoothing *= 2; precisions[n] = 1 / (smoothing * total[n]); }
            else precisions[n] = (double)correct[n] / total[n];
        }
        double brevity = c == 0 ? 0 : c >= r ? 1 : Math.Exp(1 - (double)r / c);
        double bleu = precisions.All(p => p > 0) ? brevity * Math.Exp(precisions.Average(Math.Log)) : 0;
        return new TranslationMetrics(sentences, (double)exact / sentences, referenceTokens == 0 ? 0 : (double)errors / referenceTokens, bleu, precisions, brevity, c, r);
    }

    private static Dictionary<string, int> NGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            string gram = string.Join('\u0001', Enumerable.Range(i, n).Select(k => tokens[k]));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }
}
