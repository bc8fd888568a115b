namespace Microsoft.ML.Recurrent;

/// <summary>How a fitted sequence-to-sequence model writes its output.</summary>
public sealed class Seq2SeqDecodingOptions
{
    /// <summary>Hypotheses kept per source by beam search; 1 decodes greedily.</summary>
    public int BeamWidth { get; set; } = 5;

    /// <summary>alpha: beam search ranks ended hypotheses by log-probability / length^alpha (0: raw log-probability, which favours short outputs).</summary>
    public float LengthNormalization { get; set; } = 1f;

    /// <summary>Whether <c>Transform</c> also appends the attention weights (column <c>AttentionWeights</c>: one row of source weights per output symbol and for the end, flattened).</summary>
    public bool OutputAttention { get; set; }

    /// <summary>Sources decoded together by the batch APIs (<c>Translate</c>, <c>Evaluate</c>).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>A copy.</summary>
    public Seq2SeqDecodingOptions Clone() => (Seq2SeqDecodingOptions)MemberwiseClone();

    /// <summary>Throws when an option is out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BeamWidth, 1, nameof(BeamWidth));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (!(LengthNormalization >= 0f && float.IsFinite(LengthNormalization)))
            throw new ArgumentOutOfRangeException(nameof(LengthNormalization), LengthNormalization, "Length normalization must be a finite number of at least 0.");
    }
}
