namespace Microsoft.ML.Recurrent.Tagging;

/// <summary>The characters of the training tokens (case kept), ids 1..C-1 in order of first appearance sorted ordinally; 0 for any other.</summary>
internal sealed class CharacterVocabulary
{
    private readonly Dictionary<char, int> _ids;

    public CharacterVocabulary(string characters)
    {
        Characters = characters;
        _ids = new Dictionary<char, int>(characters.Length);
        for (int i = 0; i < characters.Length; i++)
            if (!_ids.TryAdd(characters[i], i + 1)) throw new InvalidDataException($"The character '{characters[i]}' appears twice in the character vocabulary.");
    }

    /// <summary>The known characters, id i + 1 for Characters[i].</summary>
    public string Characters { get; }

    /// <summary>C: known characters plus the unknown id 0.</summary>
    public int Size => Characters.Length + 1;

    /// <summary>Every character of <paramref name="tokens"/>, once each, in ordinal order.</summary>
    public static CharacterVocabulary Build(IEnumerable<string> tokens)
    {
        var seen = new SortedSet<char>();
        foreach (string token in tokens) foreach (char c in token) seen.Add(c);
        return new CharacterVocabulary(new string([.. seen]));
    }

    /// <summary>The ids of <paramref name="token"/>'s characters.</summary>
    public int[] Ids(ReadOnlySpan<char> token)
    {
        int[] ids = new int[token.Length];
        for (int i = 0; i < token.Length; i++) ids[i] = _ids.GetValueOrDefault(token[i]);
        return ids;
    }
}
