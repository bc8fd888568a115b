
namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>Training part: a GRU regressor over the window, read one observation per step.</summary>
internal static partial class ForecastModel
{
    /// <summary>Saves the model with its input schema to one file.</summary>
    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, string path) =>
        ml.Model.SaveRecurrentModel(model, inputSchema, path);

    /// <summary>The pipeline: the window column is a fixed-length vector read as 24 steps of 1 value.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, int epochs, Action<TrainingProgressReport>? progress = null) =>
        ml.Regression.Trainers.Recurrent(new RecurrentTrainerOptions
        {
            FeatureColumnName = nameof(ModelInput.History),
            LabelColumnName = nameof(ModelInput.Label),
            Cell = CellType.Gru,
            HiddenSize = 32,
            LearningRate = 3e-3f,
            NumberOfEpochs = epochs,
            BatchSize = 16,
            ValidationFraction = 0.15f,
            EarlyStoppingPatience = 30,
            Progress = progress,
        });
}
