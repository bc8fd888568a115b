namespace Microsoft.ML.Recurrent;

/// <summary>How well a language model predicts a dataset's texts.</summary>
/// <param name="CrossEntropy">Mean negative log-likelihood per symbol, in nats.</param>
/// <param name="Symbols">Symbols scored (each text's end included).</param>
/// <param name="Texts">Texts (rows) scored.</param>
public sealed record LanguageModelMetrics(double CrossEntropy, long Symbols, long Texts)
{
    /// <summary>Mean negative log-likelihood per symbol in bits (bits per character for a character model).</summary>
    public double BitsPerSymbol => CrossEntropy / Math.Log(2);

    /// <summary>exp(cross-entropy): the model's effective number of choices per symbol.</summary>
    public double Perplexity => Math.Exp(CrossEntropy);

    /// <summary>A one-line report.</summary>
    public override string ToString() =>
        $"{Texts:N0} texts, {Symbols:N0} symbols: cross-entropy {CrossEntropy:F4} nats/symbol ({BitsPerSymbol:F4} bits), perplexity {Perplexity:F3}";
}
