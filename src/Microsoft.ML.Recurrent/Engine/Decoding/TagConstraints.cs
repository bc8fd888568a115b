namespace Microsoft.ML.Recurrent.Engine.Decoding;

/// <summary>
/// Which tag may start a sequence, follow another tag, or end a sequence; used by constrained
/// Viterbi decoding so that, for example, BIO output never has I-X after O or after B-Y.
/// </summary>
public sealed class TagConstraints
{
    private readonly bool[] _start, _end, _follow;

    private TagConstraints(int tagCount)
    {
        TagCount = tagCount;
        _start = Enumerable.Repeat(true, tagCount).ToArray();
        _end = Enumerable.Repeat(true, tagCount).ToArray();
        _follow = Enumerable.Repeat(true, tagCount * tagCount).ToArray();
    }

    /// <summary>K.</summary>
    public int TagCount { get; }

    /// <summary>Whether a sequence may start with tag <paramref name="tag"/>.</summary>
    public bool CanStart(int tag) => _start[tag];

    /// <summary>Whether a sequence may end with tag <paramref name="tag"/>.</summary>
    public bool CanEnd(int tag) => _end[tag];

    /// <summary>Whether tag <paramref name="to"/> may directly follow tag <paramref name="from"/>.</summary>
    public bool CanFollow(int from, int to) => _follow[from * TagCount + to];

    /// <summary>
    /// Constraints of the BIO scheme (tags like <c>O</c>, <c>B-PER</c>, <c>I-PER</c>): <c>I-X</c> only
    /// after <c>B-X</c> or <c>I-X</c>, never first.
    /// </summary>
    public static TagConstraints Bio(IReadOnlyList<string> tags) => FromScheme(tags, bioes: false);

    /// <summary>
    /// Constraints of the BIOES scheme: <c>I-X</c>/<c>E-X</c> only after <c>B-X</c>/<c>I-X</c>;
    /// <c>B-X</c>/<c>I-X</c> must be followed by <c>I-X</c>/<c>E-X</c>; <c>S-X</c> and <c>O</c> stand alone.
    /// </summary>
    public static TagConstraints Bioes(IReadOnlyList<string> tags) => FromScheme(tags, bioes: true);

    private static TagConstraints FromScheme(IReadOnlyList<string> tags, bool bioes)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var parsed = tags.Select((t, i) => Parse(t, i, bioes)).ToArray();
        var c = new TagConstraints(tags.Count);
        for (int j = 0; j < tags.Count; j++)
        {
            var (toPrefix, toType) = parsed[j];
            bool continues = toPrefix is 'I' or 'E';
            c._start[j] = !continues;
            c._end[j] = !bioes || toPrefix is not ('B' or 'I');
            for (int i = 0; i < tags.Count; i++)
            {
                var (fromPrefix, fromType) = parsed[i];
                bool fromOpen = fromPrefix is 'B' or 'I';
                bool allowed = continues
                    ? fromOpen && fromType == toType
                    : !(bioes && fromOpen);
                c._follow[i * tags.Count + j] = allowed;
            }
        }
        return c;
    }

    private static (char Prefix, string Type) Parse(string tag, int index, bool bioes)
    {
        if (tag == "O") return ('O', "");
        string allowed = bioes ? "BIOES" : "BIO";
        if (tag.Length >= 3 && tag[1] == '-' && allowed.Contains(tag[0]) && tag[0] != 'O') return (tag[0], tag[2..]);
        throw new ArgumentException($"Tag {index} '{tag}' is not a {allowed} tag (expected 'O' or a prefix from '{allowed}' followed by '-' and a type).", nameof(tag));
    }
}
