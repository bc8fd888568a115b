namespace Microsoft.ML.Recurrent.Samples.Sentiment;

/// <summary>Consumption part: predict the sentiment of new sentences with a trained model.</summary>
internal static partial class SentimentModel
{
    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static ITransformer Load(MLContext ml, string path) => ml.Model.LoadRecurrentModel(path, out _);

    /// <summary>Predicts one sentence.</summary>
    public static ModelOutput Predict(MLContext ml, ITransformer model, string sentence)
    {
        PredictionEngine<ModelInput, ModelOutput> engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
        return engine.Predict(new ModelInput { Sentence = sentence });
    }
}
