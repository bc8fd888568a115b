using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Sequences;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Recurrent sequence trainers on ML.NET's catalogs: <c>mlContext.BinaryClassification.Trainers.Recurrent</c>,
/// <c>mlContext.MulticlassClassification.Trainers.Recurrent</c> and <c>mlContext.Regression.Trainers.Recurrent</c>.
/// Each reads a sequence column (token keys or float frames) and predicts one value per row.
/// </summary>
public static class RecurrentCatalog
{
    /// <summary>A recurrent binary classifier; outputs Score, Probability and PredictedLabel for <c>BinaryClassification.Evaluate</c>.</summary>
    public static RecurrentSequenceTrainer Recurrent(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RecurrentTrainerOptions options) =>
        Create(catalog, SequenceTask.BinaryClassification, options);

    /// <summary>A recurrent binary classifier with default options except those given.</summary>
    public static RecurrentSequenceTrainer Recurrent(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", CellType cell = CellType.Lstm, int hiddenSize = 64, int numberOfEpochs = 10) =>
        Create(catalog, SequenceTask.BinaryClassification, Defaults(labelColumnName, featureColumnName, cell, hiddenSize, numberOfEpochs));

    /// <summary>A recurrent multiclass classifier (key label); outputs the Score vector and PredictedLabel key for <c>MulticlassClassification.Evaluate</c>.</summary>
    public static RecurrentSequenceTrainer Recurrent(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RecurrentTrainerOptions options) =>
        Create(catalog, SequenceTask.MulticlassClassification, options);

    /// <summary>A recurrent multiclass classifier with default options except those given.</summary>
    public static RecurrentSequenceTrainer Recurrent(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", CellType cell = CellType.Lstm, int hiddenSize = 64, int numberOfEpochs = 10) =>
        Create(catalog, SequenceTask.MulticlassClassification, Defaults(labelColumnName, featureColumnName, cell, hiddenSize, numberOfEpochs));

    /// <summary>A recurrent regressor (one Single per sequence); outputs Score for <c>Regression.Evaluate</c>.</summary>
    public static RecurrentSequenceTrainer Recurrent(this RegressionCatalog.RegressionTrainers catalog, RecurrentTrainerOptions options) =>
        Create(catalog, SequenceTask.Regression, options);

    /// <summary>A recurrent regressor with default options except those given.</summary>
    public static RecurrentSequenceTrainer Recurrent(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", CellType cell = CellType.Lstm, int hiddenSize = 64, int numberOfEpochs = 10) =>
        Create(catalog, SequenceTask.Regression, Defaults(labelColumnName, featureColumnName, cell, hiddenSize, numberOfEpochs));

    private static RecurrentSequenceTrainer Create(object catalog, SequenceTask task, RecurrentTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentSequenceTrainer(MLNetInternals.EnvironmentOf(catalog), task, options);
    }

    private static RecurrentTrainerOptions Defaults(string label, string features, CellType cell, int hidden, int epochs) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = features,
        Cell = cell,
        HiddenSize = hidden,
        NumberOfEpochs = epochs,
    };
}
