using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Tagging;


namespace Microsoft.ML.Recurrent.Evaluation;

/// <summary>Computes <see cref="TaggingMetrics"/> from gold and predicted tag sequences.</summary>
internal static class TaggingEvaluator
{
    /// <summary>Metrics of <paramref name="sentences"/> (gold, predicted), tags named by <paramref name="tags"/>.</summary>
    /// <exception cref="InvalidDataException">A sentence's two sequences differ in length, or hold a tag not in <paramref name="tags"/>.</exception>
    public static TaggingMetrics Evaluate(IEnumerable<(IReadOnlyList<string> Gold, IReadOnlyList<string> Predicted)> sentences, IReadOnlyList<string> tags, bool strict)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tags.Count; i++) index.TryAdd(tags[i], i);
        bool bioes = TagSet.Detect(tags) == TagScheme.Bioes;
        bool chunked = TagSet.Detect(tags) != TagScheme.None;
        var confusion = new long[tags.Count, tags.Count];
        var chunkCounts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        long count = 0;
        foreach ((IReadOnlyList<string> gold, IReadOnlyList<string> predicted) in sentences)
        {
            if (gold.Count != predicted.Count)
                throw new InvalidDataException($"Sentence {count} has {gold.Count} gold tags but {predicted.Count} predicted ones.");
            for (int t = 0; t < gold.Count; t++) confusion[Index(index, gold[t], count), Index(index, predicted[t], count)]++;
            if (chunked) CountChunks(gold, predicted, strict, bioes, chunkCounts);
            count++;
        }
        ClassScores[] types = [.. chunkCounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ClassScores(p.Key, p.Value[0], p.Value[1], p.Value[2]))];
        return new TaggingMetrics(tags, confusion, types, count, strict);
    }

    /// <summary>Metrics of the key-vector columns <paramref name="labelColumn"/> (gold) and <paramref name="predictedColumn"/> of <paramref name="data"/>.</summary>
    public static TaggingMetrics Evaluate(IDataView data, string labelColumn, string predictedColumn, bool strict)
    {
        ArgumentNullException.ThrowIfNull(data);
        string[] tags = TaggingColumns.TagNames(data.Schema, labelColumn);
        string[] predictedTags = TaggingColumns.TagNames(data.Schema, predictedColumn);
        if (!tags.SequenceEqual(predictedTags))
            throw new ArgumentOutOfRangeException(nameof(data), $"The columns '{labelColumn}' and '{predictedColumn}' have different tags; evaluate the tagger's output on data mapped with the MapValueToKey it was trained with.");
        return Evaluate(Read(data, labelColumn, predictedColumn, tags), tags, strict);
    }

    private static IEnumerable<(IReadOnlyList<string>, IReadOnlyList<string>)> Read(IDataView data, string labelColumn, string predictedColumn, string[] tags)
    {
        DataViewSchema.Column label = data.Schema[labelColumn], predicted = data.Schema[predictedColumn];
        using DataViewRowCursor cursor = data.GetRowCursor([label, predicted]);
        ValueGetter<VBuffer<uint>> getLabel = cursor.GetGetter<VBuffer<uint>>(label), getPredicted = cursor.GetGetter<VBuffer<uint>>(predicted);
        VBuffer<uint> gold = default, guess = default;
        while (cursor.MoveNext())
        {
            getLabel(ref gold);
            getPredicted(ref guess);
            yield return (Names(gold, tags, labelColumn, cursor.Position), Names(guess, tags, predictedColumn, cursor.Position));
        }
    }

    private static string[] Names(VBuffer<uint> keys, string[] tags, string column, long row) =>
        [.. keys.DenseValues().Select(k => k >= 1 && k <= tags.Length ? tags[k - 1] : throw new InvalidDataException($"Row {row} of column '{column}' has key {k}, which is missing or not one of the {tags.Length} tags."))];

    private static int Index(Dictionary<string, int> index, string tag, long sentence) =>
        index.TryGetValue(tag, out int i) ? i : throw new InvalidDataException($"Sentence {sentence} has the tag '{tag}', which is not one of the {index.Count} tags evaluated.");

    private static void CountChunks(IReadOnlyList<string> gold, IReadOnlyList<string> predicted, bool strict, bool bioes, Dictionary<string, long[]> counts)
    {
        List<Chunk> g = strict ? Chunks.Strict(gold, bioes) : Chunks.Conlleval(gold);
        List<Chunk> p = strict ? Chunks.Strict(predicted, bioes) : Chunks.Conlleval(predicted);
        var goldSet = new HashSet<Chunk>(g);
        foreach (Chunk chunk in p)
        {
            long[] c = Counts(counts, chunk.Type);
            if (goldSet.Contains(chunk)) c[0]++; else c[1]++;
        }
        var predictedSet = new HashSet<Chunk>(p);
        foreach (Chunk chunk in g) if (!predictedSet.Contains(chunk)) Counts(counts, chunk.Type)[2]++;
    }

    private static long[] Counts(Dictionary<string, long[]> counts, string type) =>
        counts.TryGetValue(type, out long[]? c) ? c : counts[type] = new long[3];
}
