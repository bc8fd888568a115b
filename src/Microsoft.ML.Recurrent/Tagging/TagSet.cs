using Microsoft.ML.Recurrent.Engine.Decoding;

namespace Microsoft.ML.Recurrent.Tagging;

/// <summary>The tags a tagger predicts (the label column's key values, key k = tag k - 1) and the scheme that constrains them.</summary>
internal sealed class TagSet
{
    public TagSet(IReadOnlyList<string> names, TagScheme scheme)
    {
        Names = names;
        Scheme = scheme == TagScheme.Auto ? Detect(names) : scheme;
        Constraints = Scheme switch
        {
            TagScheme.Bio => TagConstraints.Bio(names),
            TagScheme.Bioes => TagConstraints.Bioes(names),
            _ => null,
        };
    }

    /// <summary>The tag names.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>K.</summary>
    public int Count => Names.Count;

    /// <summary>The scheme in force (never Auto).</summary>
    public TagScheme Scheme { get; }

    /// <summary>The allowed sequences, or null for all.</summary>
    public TagConstraints? Constraints { get; }

    /// <summary>BIOES when an E- or S- tag is present and all are O or prefixed, BIO when all are O, B- or I-, else none.</summary>
    public static TagScheme Detect(IReadOnlyList<string> names)
    {
        static char Prefix(string tag) => tag == "O" ? 'O' : tag.Length > 2 && tag[1] == '-' ? tag[0] : '?';
        char[] prefixes = [.. names.Select(Prefix)];
        if (prefixes.Any(p => p == '?') || !prefixes.Any(p => p is 'B' or 'I' or 'E' or 'S')) return TagScheme.None;
        if (prefixes.All(p => p is 'O' or 'B' or 'I')) return TagScheme.Bio;
        return prefixes.All(p => p is 'O' or 'B' or 'I' or 'E' or 'S') ? TagScheme.Bioes : TagScheme.None;
    }

    /// <summary>
    /// Makes a gold sequence valid under the scheme the way conlleval reads it, so the constrained CRF can score it:
    /// a chunk that starts with I-X (or E-X) starts as B-X (or S-X); returns how many tags changed.
    /// </summary>
    public int Repair(int[] tags)
    {
        if (Constraints is null) return 0;
        int changed = 0;
        for (int t = 0; t < tags.Length; t++)
        {
            bool valid = t == 0 ? Constraints.CanStart(tags[t]) : Constraints.CanFollow(tags[t - 1], tags[t]);
            if (valid) continue;
            string name = Names[tags[t]];
            string replacement = (name[0] == 'E' ? "S" : "B") + name[1..];
            int index = IndexOf(replacement);
            if (index < 0) continue;
            tags[t] = index;
            changed++;
        }
        return changed;
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++) if (Names[i] == name) return i;
        return -1;
    }
}
