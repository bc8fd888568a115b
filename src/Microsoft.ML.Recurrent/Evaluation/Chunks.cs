namespace Microsoft.ML.Recurrent;

/// <summary>A chunk (entity) of a tag sequence: tokens [Start, End) of one type.</summary>
/// <param name="Start">First token.</param>
/// <param name="End">One past the last token.</param>
/// <param name="Type">The type (PER, LOC, ...).</param>
public readonly record struct Chunk(int Start, int End, string Type);

/// <summary>
/// Chunks of BIO/BIOES tag sequences, read as conlleval reads them or, in strict mode, as seqeval's strict
/// mode does.
/// </summary>
public static class Chunks
{
    /// <summary>
    /// conlleval's chunks: one starts at B-X or S-X, at I-X/E-X after O, E-, S- or another type, and at any tag
    /// whose type changes; one ends before O, B-, S- or a change of type, and after E- or S-.
    /// </summary>
    public static List<Chunk> Conlleval(IReadOnlyList<string> tags)
    {
        var chunks = new List<Chunk>();
        int start = -1;
        char previous = 'O';
        string previousType = "", type = "";
        for (int t = 0; t <= tags.Count; t++)
        {
            (char prefix, string tagType) = t < tags.Count ? Split(tags[t]) : ('O', "");
            if (start >= 0 && Ends(previous, prefix, previousType, tagType))
            {
                chunks.Add(new Chunk(start, t, type));
                start = -1;
            }
            if (Starts(previous, prefix, previousType, tagType)) { start = t; type = tagType; }
            previous = prefix;
            previousType = tagType;
        }
        return chunks;
    }

    /// <summary>
    /// seqeval's strict chunks: only well-formed ones count, B-X (I-X)* in BIO, B-X (I-X)* E-X or S-X in
    /// BIOES; a stray I-X or E-X, or a BIOES chunk without its E-X, yields nothing.
    /// </summary>
    public static List<Chunk> Strict(IReadOnlyList<string> tags, bool bioes)
    {
        var chunks = new List<Chunk>();
        int i = 0;
        while (i < tags.Count)
        {
            (char prefix, string type) = Split(tags[i]);
            if (bioes && prefix == 'S') { chunks.Add(new Chunk(i, i + 1, type)); i++; continue; }
            if (prefix != 'B') { i++; continue; }
            int j = i + 1;
            while (j < tags.Count && Split(tags[j]) == ('I', type)) j++;
            if (!bioes) { chunks.Add(new Chunk(i, j, type)); i = j; continue; }
            if (j < tags.Count && Split(tags[j]) == ('E', type)) { chunks.Add(new Chunk(i, j + 1, type)); i = j + 1; }
            else i = j;
        }
        return chunks;
    }

    /// <summary>The prefix (O, B, I, E, S) and type of a tag; a tag without a prefix is its own type (a one-token B chunk).</summary>
    public static (char Prefix, string Type) Split(string tag)
    {
        if (tag == "O" || tag.Length == 0) return ('O', "");
        if (tag.Length > 2 && tag[1] == '-' && tag[0] is 'B' or 'I' or 'E' or 'S') return (tag[0], tag[2..]);
        return ('B', tag);
    }

    private static bool Ends(char previous, char prefix, string previousType, string type) =>
        previous is 'E' or 'S'
        || (previous is 'B' or 'I' && prefix is 'B' or 'S' or 'O')
        || (previous != 'O' && previousType != type);

    private static bool Starts(char previous, char prefix, string previousType, string type) =>
        prefix is 'B' or 'S'
        || (previous is 'E' or 'S' or 'O' && prefix is 'I' or 'E')
        || (prefix != 'O' && previousType != type);
}
