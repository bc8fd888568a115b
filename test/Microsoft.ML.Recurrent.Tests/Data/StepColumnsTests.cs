using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>
/// Per-step results computed on a packed, length-sorted batch come out as per-row columns in each row's
/// own step order, typed so that ML.NET's MapKeyToValue turns predicted tags into their names.
/// </summary>
[TestClass]
public sealed class StepColumnsTests
{
    private sealed class Sentence
    {
        public string Text { get; set; } = "";
    }

    private static readonly string[] TagNames = ["NOUN", "VERB", "ADJ"];

    /// <summary>A stand-in tagger: tag = (key - 1) mod 3 for each token, confidence = 1 / (1 + step), computed a block at a time on a packed batch.</summary>
    private sealed class ModTagger(DataViewSchema input) : ColumnAppender(input, Columns())
    {
        private static DataViewSchema Columns()
        {
            var builder = new DataViewSchema.Builder();
            StepColumns.AddKeyVector(builder, "PredictedLabel", TagNames.Length, TagNames);
            StepColumns.AddFloatVector(builder, "Score");
            StepColumns.AddText(builder, "Summary");
            return builder.ToSchema();
        }

        public override IEnumerable<DataViewSchema.Column> Dependencies => [InputSchema["Keys"]];

        public override IAddedColumns Bind(DataViewRow input) => throw new NotSupportedException("block scoring only");

        public override IBlockColumns BindBlock(DataViewRow input) => new Block(input.GetGetter<VBuffer<uint>>(input.Schema["Keys"]));

        private sealed class Block(ValueGetter<VBuffer<uint>> keys) : IBlockColumns
        {
            private readonly int[][] _ids = new int[5][];
            private readonly SequenceBatch _batch = new();
            private readonly StepResults _tags = new(), _scores = new();

            public int Capacity => 5; // small, so the 12 rows span three blocks

            public void Read(long position, int slot)
            {
                VBuffer<uint> value = default;
                keys(ref value);
                _ids[slot] = [.. value.DenseValues().Select(k => (int)k)];
            }

            public void Compute(int count)
            {
                _batch.Fill(count, i => _ids[i].Length, i => _ids[i], _ => null, 1);
                SequenceLayout layout = _batch.Layout;
                int[] tags = new int[layout.TotalSteps];
                float[] scores = new float[layout.TotalSteps];
                for (int b = 0; b < layout.BatchSize; b++)
                    for (int t = 0; t < layout.Lengths[b]; t++)
                    {
                        int row = layout.Row(t, b);
                        tags[row] = (_batch.Ids[row] - 1) % 3;
                        scores[row] = 1f / (1 + t);
                    }
                _tags.Unpack(_batch, tags);
                _scores.Unpack(_batch, scores, 1);
            }

            public Delegate GetGetter(int addedIndex, Func<int> slot) => addedIndex switch
            {
                0 => StepColumns.KeyVector(() => _tags.Ints(slot())),
                1 => StepColumns.FloatVector(() => _scores.Floats(slot())),
                _ => StepColumns.Text(() => $"{_tags.Length(slot())} tags"),
            };
        }
    }

    [TestMethod]
    public void PackedStepResultsBecomeKeyFloatAndTextColumnsInRowOrder()
    {
        var ml = new MLContext(1);
        var random = new Random(2);
        Sentence[] rows = [.. Enumerable.Range(0, 12).Select(_ => new Sentence { Text = string.Join(' ', Enumerable.Range(0, random.Next(1, 7)).Select(_ => $"w{random.Next(9)}")) })];
        IDataView keyed = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(Sentence.Text))
            .Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens"))
            .Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        IDataView tagged = new AppendedDataView(keyed, new ModTagger(keyed.Schema));
        IDataView named = ml.Transforms.Conversion.MapKeyToValue("Tags", "PredictedLabel").Fit(tagged).Transform(tagged);

        uint[][] keys = [.. keyed.GetColumn<uint[]>("Keys")];
        string[][] tags = [.. named.GetColumn<string[]>("Tags")];
        float[][] scores = [.. named.GetColumn<float[]>("Score")];
        string[] summaries = [.. named.GetColumn<string>("Summary")];
        for (int i = 0; i < rows.Length; i++)
        {
            CollectionAssert.AreEqual(keys[i].Select(k => TagNames[(k - 1) % 3]).ToArray(), tags[i], $"row {i}: tags in step order with their names");
            CollectionAssert.AreEqual(Enumerable.Range(0, keys[i].Length).Select(t => 1f / (1 + t)).ToArray(), scores[i], $"row {i}");
            Assert.AreEqual($"{keys[i].Length} tags", summaries[i]);
        }
        var type = (VectorDataViewType)tagged.Schema["PredictedLabel"].Type;
        Assert.AreEqual(3UL, ((KeyDataViewType)type.ItemType).Count);
        Assert.AreEqual(0, type.Size, "variable length: one key per token");
    }
}
