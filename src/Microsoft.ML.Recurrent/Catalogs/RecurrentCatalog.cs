using Microsoft.ML.Recurrent.Data;
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
    /// <param name="catalog">The binary classification trainers, <c>mlContext.BinaryClassification.Trainers</c>.</param>
    /// <param name="options">Every setting (see <see cref="RecurrentTrainerOptions"/>).</param>
    /// <example>
    /// <code>
    /// var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
    ///     .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
    ///     .Append(ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { Bidirectional = true, Pooling = SequencePooling.Max }));
    /// </code>
    /// </example>
    public static RecurrentSequenceTrainer Recurrent(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RecurrentTrainerOptions options) =>
        Create(catalog, SequenceTask.BinaryClassification, options);

    /// <summary>A recurrent binary classifier with default options except those given.</summary>
    /// <param name="catalog">The binary classification trainers, <c>mlContext.BinaryClassification.Trainers</c>.</param>
    /// <param name="labelColumnName">The Boolean label column.</param>
    /// <param name="featureColumnName">The sequence column: a vector of keys (token ids) or of Single frames.</param>
    /// <param name="cell">The recurrent cell.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="learningRate">The optimizer's learning rate.</param>
    /// <param name="bidirectional">Whether the layer also reads each sequence backwards.</param>
    /// <example>
    /// <code>
    /// var trainer = ml.BinaryClassification.Trainers.Recurrent("Label", "Features", CellType.Gru, hiddenSize: 64, bidirectional: true);
    /// </code>
    /// </example>
    public static RecurrentSequenceTrainer Recurrent(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", CellType cell = CellType.Lstm, int hiddenSize = 64, int numberOfEpochs = 10,
        float learningRate = 1e-3f, bool bidirectional = false) =>
        Create(catalog, SequenceTask.BinaryClassification, Defaults(labelColumnName, featureColumnName, cell, hiddenSize, numberOfEpochs, learningRate, bidirectional));

    /// <summary>A recurrent multiclass classifier (key label); outputs the Score vector and PredictedLabel key for <c>MulticlassClassification.Evaluate</c>.</summary>
    /// <param name="catalog">The multiclass classification trainers, <c>mlContext.MulticlassClassification.Trainers</c>.</param>
    /// <param name="options">Every setting (see <see cref="RecurrentTrainerOptions"/>).</param>
    /// <example>
    /// <code>
    /// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    ///     .Append(ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions { Cell = CellType.Gru, NumberOfLayers = 2 }))
    ///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
    /// </code>
    /// </example>
    public static RecurrentSequenceTrainer Recurrent(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RecurrentTrainerOptions options) =>
        Create(catalog, SequenceTask.MulticlassClassification, options);

    /// <summary>A recurrent multiclass classifier with default options except those given.</summary>
    /// <param name="catalog">The multiclass classification trainers, <c>mlContext.MulticlassClassification.Trainers</c>.</param>
    /// <param name="labelColumnName">The key-typed label column (from <c>MapValueToKey</c>).</param>
    /// <param name="featureColumnName">The sequence column: a vector of keys (token ids) or of Single frames.</param>
    /// <param name="cell">The recurrent cell.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="learningRate">The optimizer's learning rate.</param>
    /// <param name="bidirectional">Whether the layer also reads each sequence backwards.</param>
    /// <example>
    /// <code>
    /// var trainer = ml.MulticlassClassification.Trainers.Recurrent(hiddenSize: 32, numberOfEpochs: 5, learningRate: 0.005f);
    /// </code>
    /// </example>
    public static RecurrentSequenceTrainer Recurrent(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", CellType cell = CellType.Lstm, int hiddenSize = 64, int numberOfEpochs = 10,
        float learningRate = 1e-3f, bool bidirectional = false) =>
        Create(catalog, SequenceTask.MulticlassClassification, Defaults(labelColumnName, featureColumnName, cell, hiddenSize, numberOfEpochs, learningRate, bidirectional));

    /// <summary>A recurrent regressor (one Single per sequence); outputs Score for <c>Regression.Evaluate</c>.</summary>
    /// <param name="catalog">The regression trainers, <c>mlContext.Regression.Trainers</c>.</param>
    /// <param name="options">Every setting (see <see cref="RecurrentTrainerOptions"/>).</param>
    /// <example>
    /// <code>
    /// // Windows of 24 values (a fixed-size Single vector) predict the next value.
    /// var trainer = ml.Regression.Trainers.Recurrent(new RecurrentTrainerOptions { Cell = CellType.Gru, ValidationFraction = 0.1f });
    /// </code>
    /// </example>
    public static RecurrentSequenceTrainer Recurrent(this RegressionCatalog.RegressionTrainers catalog, RecurrentTrainerOptions options) =>
        Create(catalog, SequenceTask.Regression, options);

    /// <summary>A recurrent regressor with default options except those given.</summary>
    /// <param name="catalog">The regression trainers, <c>mlContext.Regression.Trainers</c>.</param>
    /// <param name="labelColumnName">The Single label column.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single frames or of keys.</param>
    /// <param name="cell">The recurrent cell.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="learningRate">The optimizer's learning rate.</param>
    /// <param name="bidirectional">Whether the layer also reads each sequence backwards.</param>
    /// <example>
    /// <code>
    /// var trainer = ml.Regression.Trainers.Recurrent(cell: CellType.Gru, hiddenSize: 32, learningRate: 0.01f);
    /// </code>
    /// </example>
    public static RecurrentSequenceTrainer Recurrent(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", CellType cell = CellType.Lstm, int hiddenSize = 64, int numberOfEpochs = 10,
        float learningRate = 1e-3f, bool bidirectional = false) =>
        Create(catalog, SequenceTask.Regression, Defaults(labelColumnName, featureColumnName, cell, hiddenSize, numberOfEpochs, learningRate, bidirectional));

    private static RecurrentSequenceTrainer Create(object catalog, SequenceTask task, RecurrentTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentSequenceTrainer(MLNetInternals.EnvironmentOf(catalog), task, options);
    }

    private static RecurrentTrainerOptions Defaults(string label, string features, CellType cell, int hidden, int epochs, float learningRate, bool bidirectional) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = features,
        Cell = cell,
        HiddenSize = hidden,
        NumberOfEpochs = epochs,
        LearningRate = learningRate,
        Bidirectional = bidirectional,
    };
}
