using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Sequences;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Sequences;

/// <summary>
/// The three trainers learn synthetic tasks inside real ML.NET pipelines, and ML.NET's own
/// evaluators, PredictionEngine and key-to-value mapping accept what they produce.
/// </summary>
[TestClass]
public sealed class SequenceTrainerTests
{
    [TestMethod]
    public void BinaryClassifierLearnsTheSignOfASumOfFloatFrames()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(SignOfSum(2000, 1));
        IDataView test = ml.Data.LoadFromEnumerable(SignOfSum(400, 2));
        var trainer = ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 16, NumberOfEpochs = 20, LearningRate = 0.01f });
        RecurrentSequenceTransformer model = trainer.Fit(train);
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.IsGreaterThan(0.95, metrics.Accuracy, $"accuracy {metrics.Accuracy:F3}");
        Assert.IsGreaterThan(0.98, metrics.AreaUnderRocCurve, $"AUC {metrics.AreaUnderRocCurve:F3}");
        Assert.HasCount(20, model.TrainingHistory);
    }

    [TestMethod]
    public void MulticlassClassifierReadsTokenKeysAndItsPredictionsMapBackToLabels()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(FirstWord(1500, 1));
        IDataView test = ml.Data.LoadFromEnumerable(FirstWord(300, 2));
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 16, EmbeddingSize = 8, NumberOfEpochs = 6, LearningRate = 0.01f }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedWord", "PredictedLabel"));
        var model = pipeline.Fit(train);
        IDataView scored = model.Transform(test);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.IsGreaterThan(0.97, metrics.MicroAccuracy, $"micro-accuracy {metrics.MicroAccuracy:F3}");
        string[] predicted = [.. scored.GetColumn<ReadOnlyMemory<char>>("PredictedWord").Select(m => m.ToString())];
        string[] expected = [.. FirstWord(300, 2).Select(r => r.Label)];
        Assert.IsGreaterThan(0.97, predicted.Zip(expected).Count(p => p.First == p.Second) / 300.0);
    }

    [TestMethod]
    public void RegressorReadsFixedLengthWindowsAsSteps()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Windows(2000, 1));
        IDataView test = ml.Data.LoadFromEnumerable(Windows(300, 2));
        var trainer = ml.Regression.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 16, NumberOfEpochs = 10, LearningRate = 0.01f, Cell = CellType.Gru });
        RegressionMetrics metrics = ml.Regression.Evaluate(trainer.Fit(train).Transform(test));
        Assert.IsGreaterThan(0.95, metrics.RSquared, $"R^2 {metrics.RSquared:F3}, RMSE {metrics.RootMeanSquaredError:F3}");
    }

    [TestMethod]
    public void PredictionEngineMatchesBatchTransform()
    {
        var ml = new MLContext(seed: 3);
        SignRow[] rows = SignOfSum(300, 3);
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        RecurrentSequenceTransformer model = ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 8, NumberOfEpochs = 1, Bidirectional = true }).Fit(data);
        float[] batch = [.. model.Transform(data).GetColumn<float>("Score")];
        var engine = ml.Model.CreatePredictionEngine<SignRow, BinaryPrediction>(model);
        for (int i = 0; i < rows.Length; i += 7)
        {
            BinaryPrediction p = engine.Predict(rows[i]);
            Assert.AreEqual(batch[i], p.Score, 1e-6f, $"row {i}");
            Assert.AreEqual(p.Score > 0, p.PredictedLabel);
            Assert.AreEqual(1 / (1 + MathF.Exp(-p.Score)), p.Probability, 1e-6f);
        }
    }

    [TestMethod]
    public void SameSeedGivesTheSameModelAndAnotherSeedDoesNot()
    {
        float[] Scores(int seed)
        {
            var ml = new MLContext(seed);
            IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(200, 4));
            var options = new RecurrentTrainerOptions { HiddenSize = 8, NumberOfEpochs = 2, Dropout = 0.2f };
            return [.. ml.BinaryClassification.Trainers.Recurrent(options).Fit(data).Transform(data).GetColumn<float>("Score")];
        }
        float[] first = Scores(5);
        CollectionAssert.AreEqual(first, Scores(5));
        CollectionAssert.AreNotEqual(first, Scores(6));
    }

    [TestMethod]
    public void ProgressGoesToTheMLContextLogAndEarlyStoppingKeepsTheBestEpoch()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains(nameof(RecurrentSequenceTrainer))) lock (messages) messages.Add(e.Message); };
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(400, 5));
        var options = new RecurrentTrainerOptions { HiddenSize = 8, NumberOfEpochs = 4, ValidationFraction = 0.25f, EarlyStoppingPatience = 1 };
        RecurrentSequenceTransformer model = ml.BinaryClassification.Trainers.Recurrent(options).Fit(data);
        Assert.IsTrue(messages.Any(m => m.Contains("Epoch 1/4") && m.Contains("validation accuracy") && m.Contains("sequences/s")), string.Join("\n", messages));
        Assert.IsTrue(model.TrainingHistory.All(h => h.ValidationMetric is >= 0 and <= 1));
    }

    [TestMethod]
    public void EstimatorAndPipelineDescribeTheirOutputColumns()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(FirstWord(10, 1));
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.Recurrent());
        SchemaShape shape = pipeline.GetOutputSchema(Recurrent.Data.MLNetInternals.ToShape(data.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == "Score" && c.Kind == SchemaShape.Column.VectorKind.Vector));
        Assert.IsTrue(shape.Any(c => c.Name == "PredictedLabel" && c.IsKey));
    }
}

/// <summary>PredictionEngine output of a binary model.</summary>
public sealed class BinaryPrediction
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }
}
