namespace Microsoft.ML.Recurrent;

/// <summary>
/// How a language model continues a prompt: by sampling (temperature, top-k, top-p) when
/// <see cref="BeamWidth"/> is 0, or by beam search. Generation stops at the end-of-text symbol, after
/// <see cref="MaximumLength"/> symbols, or at <see cref="StopString"/>.
/// </summary>
public sealed class GenerationOptions
{
    /// <summary>Most symbols generated after the prompt.</summary>
    public int MaximumLength { get; set; } = 200;

    /// <summary>Softmax temperature for sampling: below 1 sharper, above 1 flatter; 0 always takes the most likely symbol (greedy).</summary>
    public float Temperature { get; set; } = 1f;

    /// <summary>Sample only among the k most likely symbols (0: all).</summary>
    public int TopK { get; set; }

    /// <summary>Sample only among the most likely symbols whose probabilities add up to p (nucleus sampling; 1: all).</summary>
    public float TopP { get; set; } = 1f;

    /// <summary>0 samples; k &gt;= 1 runs a beam search of k hypotheses (1 is greedy) and ignores temperature, top-k and top-p.</summary>
    public int BeamWidth { get; set; }

    /// <summary>Beam search ranks finished hypotheses by log-probability / length^alpha (0: raw log-probability, which favours short texts; 1: the mean per symbol).</summary>
    public float LengthNormalization { get; set; } = 1f;

    /// <summary>Generation ends when the text reaches this string (which is left out), or null.</summary>
    public string? StopString { get; set; }

    /// <summary>Seed of the sampling; the same prompt, model and seed give the same text.</summary>
    public int Seed { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaximumLength, 1, nameof(MaximumLength));
        if (!(Temperature >= 0) || !float.IsFinite(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "The temperature must be a finite number >= 0.");
        ArgumentOutOfRangeException.ThrowIfNegative(TopK, nameof(TopK));
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegative(BeamWidth, nameof(BeamWidth));
        if (!(LengthNormalization >= 0) || !float.IsFinite(LengthNormalization)) throw new ArgumentOutOfRangeException(nameof(LengthNormalization), LengthNormalization, "The length normalization must be a finite number >= 0.");
        if (StopString is { Length: 0 }) throw new ArgumentException("The stop string is empty; use null for none.", nameof(StopString));
    }

    internal GenerationOptions Clone() => (GenerationOptions)MemberwiseClone();
}
