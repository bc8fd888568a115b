using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tagging;

/// <summary>
/// How the tagger reads rows: the token column (a vector of text) as word ids and casing features, and
/// the label column (a key vector) as tag indices, checking that every row is a non-empty sentence with
/// one known tag per token.
/// </summary>
internal sealed class TaggingColumns
{
    public TaggingColumns(string tokenColumn, string? labelColumn, WordVocabulary words, bool casing, CharacterVocabulary? characters)
    {
        TokenColumn = tokenColumn;
        LabelColumn = labelColumn;
        Words = words;
        Casing = casing;
        Characters = characters;
    }

    public string TokenColumn { get; }

    public string? LabelColumn { get; }

    public WordVocabulary Words { get; }

    public bool Casing { get; }

    /// <summary>The characters of the character features, or null without them.</summary>
    public CharacterVocabulary? Characters { get; }

    /// <summary>Per-token features (casing) per step.</summary>
    public int FeatureSize => Casing ? WordVocabulary.CasingFeatures : 0;

    /// <summary>Throws unless <paramref name="schema"/> has the token column as a vector of text.</summary>
    public static void CheckTokens(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("schema", $"The token column '{name}' is not in the input schema (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
        if (column.Type is not VectorDataViewType { ItemType: TextDataViewType })
            throw new ArgumentOutOfRangeException("schema", $"The token column '{name}' has type {column.Type}; the tagger needs a vector of text (e.g. TokenizeIntoWords, or a string[] property).");
    }

    /// <summary>The tag names of the label column (a key vector with text key values), checked.</summary>
    public static string[] TagNames(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("schema", $"The label column '{name}' is not in the input schema (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
        if (column.Type is not VectorDataViewType { ItemType: KeyDataViewType key } || key.RawType != typeof(uint) || key.Count < 1 || key.Count > 1 << 16)
            throw new ArgumentOutOfRangeException("schema", $"The label column '{name}' has type {column.Type}; the tagger needs a vector of UInt32 keys, one tag per token (MapValueToKey over string[] tags).");
        int count = (int)key.Count;
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.Annotations.GetValue("KeyValues", ref values);
            if (values.Length == count) return [.. values.DenseValues().Select(v => v.ToString())];
        }
        return [.. Enumerable.Range(1, count).Select(i => $"tag{i}")];
    }

    /// <summary>Every token of the column in the rows <paramref name="rows"/> accepts (all when null), for building the vocabulary.</summary>
    public static IEnumerable<string> Tokens(IDataView data, string name, Func<long, bool>? rows)
    {
        DataViewSchema.Column column = data.Schema[name];
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> tokens = default;
        while (cursor.MoveNext())
        {
            if (rows is not null && !rows(cursor.Position)) continue;
            getter(ref tokens);
            foreach (ReadOnlyMemory<char> token in tokens.DenseValues()) yield return token.ToString();
        }
    }

    /// <summary>A reader of the current row of <paramref name="row"/>: ids, casing features and character ids (null without them) of its tokens.</summary>
    public Func<long, (int[] Ids, float[] Features, int[][]? Characters)> TokenReader(DataViewRow row)
    {
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(row.Schema[TokenColumn]);
        VBuffer<ReadOnlyMemory<char>> tokens = default;
        int f = FeatureSize;
        return position =>
        {
            getter(ref tokens);
            if (tokens.Length == 0)
                throw new InvalidDataException($"Row {position} of column '{TokenColumn}' is an empty sentence; every sentence needs at least one token (filter empty rows out first).");
            int[] ids = new int[tokens.Length];
            float[] features = new float[tokens.Length * f];
            int[][]? characters = Characters is null ? null : new int[tokens.Length][];
            int t = 0;
            foreach (ReadOnlyMemory<char> token in tokens.DenseValues())
            {
                if (token.IsEmpty) throw new InvalidDataException($"Row {position} of column '{TokenColumn}' has an empty token at position {t}.");
                ids[t] = Words.Id(token.Span);
                if (f > 0) WordVocabulary.Casing(token.Span, features.AsSpan(t * f, f));
                if (characters is not null) characters[t] = Characters!.Ids(token.Span);
                t++;
            }
            return (ids, features, characters);
        };
    }

    /// <summary>The training examples of <paramref name="data"/>: tokens, features and tags, in row order (rows rejected by <paramref name="rows"/> skipped).</summary>
    public IEnumerable<SequenceExample> Examples(IDataView data, TagSet tags, Func<long, bool>? rows = null)
    {
        DataViewSchema.Column label = data.Schema[LabelColumn!];
        using DataViewRowCursor cursor = data.GetRowCursor([data.Schema[TokenColumn], label]);
        Func<long, (int[] Ids, float[] Features, int[][]? Characters)> read = TokenReader(cursor);
        ValueGetter<VBuffer<uint>> getLabels = cursor.GetGetter<VBuffer<uint>>(label);
        VBuffer<uint> keys = default;
        while (cursor.MoveNext())
        {
            long position = cursor.Position;
            if (rows is not null && !rows(position)) continue;
            (int[] ids, float[] features, int[][]? characters) = read(position);
            getLabels(ref keys);
            if (keys.Length != ids.Length)
                throw new InvalidDataException($"Row {position} has {ids.Length} tokens in '{TokenColumn}' but {keys.Length} tags in '{LabelColumn}'; every token needs one tag.");
            int[] labels = new int[ids.Length];
            int t = 0;
            foreach (uint key in keys.DenseValues())
            {
                if (key == 0 || key > tags.Count)
                    throw new InvalidDataException($"Row {position} of column '{LabelColumn}' has key {key} at token {t}, which is missing or not one of the {tags.Count} tags seen in training.");
                labels[t++] = (int)key - 1;
            }
            tags.Repair(labels);
            CheckValid(tags, labels, position);
            yield return new SequenceExample(position, ids.Length, ids, features.Length == 0 ? null : features, 0f, labels, characters);
        }
    }

    private void CheckValid(TagSet tags, int[] labels, long position)
    {
        if (tags.Constraints is not { } c) return;
        for (int t = 0; t < labels.Length; t++)
        {
            bool valid = (t == 0 ? c.CanStart(labels[t]) : c.CanFollow(labels[t - 1], labels[t])) && (t < labels.Length - 1 || c.CanEnd(labels[t]));
            if (!valid)
                throw new InvalidDataException($"Row {position} of column '{LabelColumn}' is not a valid {tags.Scheme} sequence at token {t} ({string.Join(" ", labels.Select(l => tags.Names[l]))}); fix the tags or set TagScheme = None.");
        }
    }
}
