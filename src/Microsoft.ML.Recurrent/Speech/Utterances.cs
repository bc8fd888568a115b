using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Generation;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Speech;

/// <summary>
/// The utterances of a training set in memory: frames and transcripts encoded as CTC classes (class 0 the blank, a
/// symbol of vocabulary id i is class i - 1). With SortaGrad the first epoch goes from the shortest utterance to the
/// longest; other epochs are shuffled.
/// </summary>
internal sealed class Utterances(IReadOnlyList<SequenceExample> examples, bool sortaGrad) : IExampleSource<SequenceExample>
{
    /// <summary>The epoch about to run (set by the training loop's epoch hook).</summary>
    public int Epoch { get; set; } = 1;

    public int Count => examples.Count;

    public IEnumerable<IReadOnlyList<SequenceExample>> Batches(int batchSize, Random? shuffle, int bufferSize)
    {
        if (shuffle is null || !(sortaGrad && Epoch == 1)) return ExampleBatches.From(examples, batchSize, shuffle, bufferSize);
        SequenceExample[] sorted = [.. examples.OrderBy(e => e.Length)];
        return Enumerable.Range(0, (sorted.Length + batchSize - 1) / batchSize).Select(k => (IReadOnlyList<SequenceExample>)sorted[(k * batchSize)..Math.Min(sorted.Length, (k + 1) * batchSize)]);
    }

    /// <summary>The CTC classes of a transcript's vocabulary ids.</summary>
    public static int[] Classes(int[] ids) => [.. ids.Select(id => id - 1)];

    /// <summary>Reads every row's frames and transcript (rows <paramref name="rows"/> keeps), checking that each transcript is non-empty and known.</summary>
    public static List<SequenceExample> Read(IDataView data, SequenceFeatureColumn features, string transcriptColumn, SymbolVocabulary vocabulary, Func<long, bool>? rows)
    {
        DataViewSchema.Column text = TextColumn.Check(data.Schema, transcriptColumn);
        using DataViewRowCursor cursor = data.GetRowCursor([data.Schema[features.Name], text]);
        SequenceFeatureReader reader = features.CreateReader(cursor);
        ValueGetter<ReadOnlyMemory<char>> getText = cursor.GetGetter<ReadOnlyMemory<char>>(text);
        ReadOnlyMemory<char> value = default;
        int[] ids = [];
        float[] frames = [];
        var result = new List<SequenceExample>();
        while (cursor.MoveNext())
        {
            long row = cursor.Position;
            if (rows is not null && !rows(row)) continue;
            int length = reader.Read(row, ref ids, ref frames);
            getText(ref value);
            string transcript = value.ToString();
            if (vocabulary.FirstUnknown(transcript) is string unknown)
                throw new InvalidDataException($"Row {row} of column '{transcriptColumn}' holds '{unknown}', a symbol the recognizer's vocabulary does not have.");
            int[] classes = Classes(vocabulary.Encode(transcript));
            if (classes.Length == 0) throw new InvalidDataException($"Row {row} of column '{transcriptColumn}' is empty; every training utterance needs a transcript.");
            result.Add(new SequenceExample(row, length, null, frames.AsSpan(0, length * features.FrameSize).ToArray(), 0f, classes));
        }
        return result;
    }
}
