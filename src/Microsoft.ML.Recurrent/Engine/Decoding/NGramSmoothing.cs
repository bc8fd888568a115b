namespace Microsoft.ML.Recurrent;

/// <summary>How an <see cref="Engine.Decoding.NGramLanguageModel"/> gives probability to continuations it has not seen.</summary>
public enum NGramSmoothing
{
    /// <summary>Interpolated Kneser-Ney: absolute discounting, lower orders from continuation counts (the usual best choice).</summary>
    KneserNey,
    /// <summary>Witten-Bell: a context's weight on the order below grows with how many distinct symbols followed it.</summary>
    WittenBell,
}
