using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Samples.Sentiment;

/// <summary>Training part: the recurrent pipeline, the ML.NET baseline, and their evaluation.</summary>
internal static partial class SentimentModel
{
    /// <summary>Text -> normalized words -> word keys -> bidirectional recurrent layer, pooled over time (max by default) -> positive/negative.</summary>
    public static IEstimator<ITransformer> RecurrentPipeline(MLContext ml, int epochs, CellType cell, int hidden, SequencePooling pooling, Action<TrainingProgressReport>? progress = null) =>
        ml.Transforms.Text.NormalizeText("Normalized", nameof(ModelInput.Sentence), keepPunctuations: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Normalized"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions
            {
                Cell = cell,
                HiddenSize = hidden,
                EmbeddingSize = 64,
                Bidirectional = true,
                Pooling = pooling,
                Dropout = 0.4f,
                TokenDropout = 0.1f,
                LearningRate = 2e-3f,
                WeightDecay = 1e-4f,
                Optimizer = RecurrentOptimizer.AdamW,
                NumberOfEpochs = epochs,
                BatchSize = 32,
                ValidationFraction = 0.1f,
                EarlyStoppingPatience = 4,
                Progress = progress,
            }));

    /// <summary>Saves the whole pipeline (ML.NET text transforms and the recurrent model) to one file.</summary>
    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, string path) =>
        ml.Model.SaveRecurrentModel(model, inputSchema, path);

    /// <summary>ML.NET's standard text classifier: n-gram features and logistic regression (SDCA).</summary>
    public static IEstimator<ITransformer> BaselinePipeline(MLContext ml) =>
        ml.Transforms.Text.FeaturizeText("Features", nameof(ModelInput.Sentence))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression());

    /// <summary>Accuracy, AUC and F1 of <paramref name="model"/> on <paramref name="test"/>, with the predictions in test order.</summary>
    public static (BinaryClassificationMetrics Metrics, bool[] Predictions) Evaluate(MLContext ml, ITransformer model, IDataView test)
    {
        IDataView scored = model.Transform(test);
        BinaryClassificationMetrics metrics = ml.BinaryClassification.EvaluateNonCalibrated(scored);
        return (metrics, [.. scored.GetColumn<bool>("PredictedLabel")]);
    }
}
