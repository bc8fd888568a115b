using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Sequences;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Sequences;

/// <summary>Transform scores blocks of rows as packed batches; what it shows must equal one-row-at-a-time scoring.</summary>
[TestClass]
public sealed class BatchedScoringTests
{
    private const int Rows = 700; // two full blocks of 256 and a partial one

    private static (MLContext Ml, ITransformer Model, IDataView Data) TrainTokens()
    {
        var ml = new MLContext(seed: 7);
        IDataView data = ml.Data.LoadFromEnumerable(FirstWord(Rows, 7));
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 12, EmbeddingSize = 6, NumberOfEpochs = 1, Bidirectional = true, Cell = CellType.Gru }));
        return (ml, pipeline.Fit(data), data);
    }

    [TestMethod]
    public void BatchedTransformEqualsPredictionEngineRowByRow()
    {
        (MLContext ml, ITransformer model, IDataView data) = TrainTokens();
        IDataView scored = model.Transform(data);
        float[][] batched = [.. scored.GetColumn<float[]>("Score")];
        string[] texts = [.. scored.GetColumn<string>("Text")];
        uint[][] keys = [.. scored.GetColumn<uint[]>("Features")];
        var engine = ml.Model.CreatePredictionEngine<TextRow, MulticlassScores>(model);
        TextRow[] rows = FirstWord(Rows, 7);
        Assert.HasCount(Rows, batched);
        double worst = 0;
        for (int i = 0; i < Rows; i++)
        {
            Assert.AreEqual(rows[i].Text, texts[i], $"row {i}: a pass-through column shows its own row's value");
            Assert.AreEqual(rows[i].Text.Split(' ').Length, keys[i].Length, $"row {i}: the key vector belongs to its row");
            float[] single = engine.Predict(rows[i]).Score;
            for (int k = 0; k < single.Length; k++) worst = Math.Max(worst, Math.Abs(single[k] - batched[i][k]));
        }
        // Batches run the blocked matrix product, a single row the matrix-vector kernel: equal up to float rounding.
        Assert.IsLessThan(1e-6, worst, $"largest difference between batched and row-by-row probabilities: {worst:G3}");
    }

    [TestMethod]
    public void CursorSetSplitsTheRowsAndEachCursorScoresItsOwn()
    {
        (MLContext ml, ITransformer model, IDataView data) = TrainTokens();
        IDataView cached = ml.Data.Cache(data);
        IDataView scored = model.Transform(cached);
        float[][] expected = [.. scored.GetColumn<float[]>("Score")];
        DataViewSchema.Column score = scored.Schema["Score"];
        DataViewRowCursor[] cursors = scored.GetRowCursorSet([score, scored.Schema["Text"]], 2);
        Assert.HasCount(2, cursors, "the cached source splits its rows over two cursors");
        var seen = new Dictionary<ulong, float[]>();
        Parallel.ForEach(cursors, cursor =>
        {
            using (cursor)
            {
                ValueGetter<VBuffer<float>> getScore = cursor.GetGetter<VBuffer<float>>(score);
                ValueGetter<DataViewRowId> getId = cursor.GetIdGetter();
                VBuffer<float> value = default;
                DataViewRowId id = default;
                while (cursor.MoveNext())
                {
                    getScore(ref value);
                    getId(ref id);
                    lock (seen) seen.Add(id.Low, value.DenseValues().ToArray());
                }
            }
        });
        Assert.HasCount(Rows, seen, "every row is seen once");
        foreach ((ulong row, float[] values) in seen) CollectionAssert.AreEqual(expected[row], values, $"row {row}");
    }
}

/// <summary>What ML.NET's own transforms downstream of a batched model see.</summary>
[TestClass]
public sealed class DownstreamOrderTests
{
    [TestMethod]
    public void RowsReachDownstreamTransformsInTheirOwnOrderWithTheirOwnScores()
    {
        // ML.NET transforms ask their source for a cursor set and merge it by each cursor's Batch; a cursor that has
        // read ahead must report the batch of the row it shows, or rows come out shuffled against their scores.
        var ml = new MLContext(seed: 7);
        TextRow[] rows = FirstWord(900, 9);
        IDataView data = ml.Data.Cache(ml.Data.LoadFromEnumerable(rows));
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 8, EmbeddingSize = 4, NumberOfEpochs = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedWord", "PredictedLabel"))
            .Append(ml.Transforms.CopyColumns("TextCopy", "Text"));
        ITransformer model = pipeline.Fit(data);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            IDataView scored = model.Transform(data);
            string[] texts = [.. scored.GetColumn<string>("TextCopy")];
            CollectionAssert.AreEqual(rows.Select(r => r.Text).ToArray(), texts, "rows keep their order");
            var engine = ml.Model.CreatePredictionEngine<TextRow, WordPrediction>(model);
            string[] words = [.. scored.GetColumn<string>("PredictedWord")];
            for (int i = 0; i < rows.Length; i += 37) Assert.AreEqual(engine.Predict(rows[i]).PredictedWord, words[i], $"row {i}");
        }
    }
}

/// <summary>PredictionEngine output with the predicted word.</summary>
public sealed class WordPrediction
{
    public string PredictedWord { get; set; } = "";
}

/// <summary>PredictionEngine output of a multiclass model.</summary>
public sealed class MulticlassScores
{
    public float[] Score { get; set; } = [];
}
