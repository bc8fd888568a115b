namespace Microsoft.ML.Recurrent.Tagging;

/// <summary>
/// The tagger's words: lower-cased training words seen at least the minimum number of times get ids
/// 1..V-1, everything else the unknown id 0; and each token's casing/shape features, which keep what
/// lower-casing throws away.
/// </summary>
internal sealed class WordVocabulary
{
    /// <summary>Casing features per token: all lower, all upper, capitalized, has a digit, none of these (punctuation, mixed).</summary>
    public const int CasingFeatures = 5;

    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spans;

    /// <summary>Creates the vocabulary from its words in id order (id i + 1 is words[i]).</summary>
    public WordVocabulary(IReadOnlyList<string> words)
    {
        Words = words;
        _ids = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
            if (!_ids.TryAdd(words[i], i + 1)) throw new InvalidDataException($"The word '{words[i]}' appears twice in the vocabulary.");
        _spans = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The known words (lower-cased), id i + 1 for words[i].</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>V: known words plus the unknown id 0.</summary>
    public int Size => Words.Count + 1;

    /// <summary>Counts lower-cased words and keeps those seen at least <paramref name="minimumFrequency"/> times, most frequent first (ties in ordinal order).</summary>
    public static WordVocabulary Build(IEnumerable<string> tokens, int minimumFrequency)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string token in tokens)
        {
            string key = Normalize(token);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return new WordVocabulary([.. counts.Where(p => p.Value >= minimumFrequency).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key)]);
    }

    /// <summary>The id of <paramref name="token"/>, 0 when unknown (lower-cased in place of a new string: this runs for every scored token).</summary>
    public int Id(ReadOnlySpan<char> token)
    {
        Span<char> lower = token.Length <= 256 ? stackalloc char[token.Length] : new char[token.Length];
        token.ToLowerInvariant(lower);
        return _spans.TryGetValue(lower, out int id) ? id : 0;
    }

    /// <summary>Writes the <see cref="CasingFeatures"/> one-hot casing features of <paramref name="token"/>.</summary>
    public static void Casing(ReadOnlySpan<char> token, Span<float> features)
    {
        features.Clear();
        bool letters = false, lower = true, upper = true, digit = false;
        foreach (char c in token)
        {
            if (char.IsDigit(c)) digit = true;
            if (!char.IsLetter(c)) continue;
            letters = true;
            lower &= char.IsLower(c);
            upper &= char.IsUpper(c);
        }
        bool capitalized = char.IsUpper(token[0]);
        for (int i = 1; i < token.Length && capitalized; i++) capitalized = !char.IsLetter(token[i]) || char.IsLower(token[i]);
        int feature = digit ? 3 : !letters ? 4 : lower ? 0 : upper ? 1 : capitalized ? 2 : 4;
        features[feature] = 1f;
    }

    private static string Normalize(string token) => token.ToLowerInvariant();
}
