namespace Microsoft.ML.Recurrent;

/// <summary>What the symbols of a text are to a text model (language model, seq2seq source or target).</summary>
public enum SymbolUnit
{
    /// <summary>Each character (UTF-16 code unit) is a symbol: a character-level model, no unknown words.</summary>
    Character,
    /// <summary>Each whitespace-separated word is a symbol; generated words are joined by single spaces (phonemes, tokens).</summary>
    Word,
}
