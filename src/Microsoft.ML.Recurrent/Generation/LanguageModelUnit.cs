namespace Microsoft.ML.Recurrent;

/// <summary>What a language model's symbols are.</summary>
public enum LanguageModelUnit
{
    /// <summary>Each character (UTF-16 code unit) is a symbol: a character-level model, no unknown words.</summary>
    Character,
    /// <summary>Each whitespace-separated word is a symbol; generated words are joined by single spaces.</summary>
    Word,
}
