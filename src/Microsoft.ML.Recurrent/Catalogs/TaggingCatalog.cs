using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Evaluation;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// The BiLSTM-CRF sequence tagger on ML.NET's multiclass catalog, where ML.NET's own
/// <c>NamedEntityRecognition</c> trainer sits: <c>mlContext.MulticlassClassification.Trainers.SequenceTagger</c>.
/// It tags every token of a sentence (part of speech, entities, slots) and trains from scratch on a CPU.
/// </summary>
public static class TaggingCatalog
{
    /// <summary>A sequence tagger with every setting given.</summary>
    /// <param name="catalog">The multiclass classification trainers, <c>mlContext.MulticlassClassification.Trainers</c>.</param>
    /// <param name="options">Every setting (see <see cref="SequenceTaggerOptions"/>).</param>
    /// <example>
    /// <code>
    /// // Rows with string[] Words and string[] Tags of equal length.
    /// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Tags")
    ///     .Append(ml.MulticlassClassification.Trainers.SequenceTagger(new SequenceTaggerOptions { TokenColumnName = "Words", HiddenSize = 128 }))
    ///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel"));
    /// </code>
    /// </example>
    public static SequenceTaggerTrainer SequenceTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, SequenceTaggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new SequenceTaggerTrainer(MLNetInternals.EnvironmentOf(catalog), options);
    }

    /// <summary>A sequence tagger with default settings except those given.</summary>
    /// <param name="catalog">The multiclass classification trainers, <c>mlContext.MulticlassClassification.Trainers</c>.</param>
    /// <param name="labelColumnName">The tag column: a key vector, one tag per token.</param>
    /// <param name="tokenColumnName">The token column: a vector of text.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="learningRate">The optimizer's learning rate.</param>
    /// <example>
    /// <code>
    /// var tagger = ml.MulticlassClassification.Trainers.SequenceTagger("Label", "Words", hiddenSize: 64, numberOfEpochs: 10);
    /// </code>
    /// </example>
    public static SequenceTaggerTrainer SequenceTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string tokenColumnName = "Tokens", int hiddenSize = 128, int numberOfEpochs = 20, float learningRate = 1e-3f) =>
        SequenceTagger(catalog, new SequenceTaggerOptions
        {
            LabelColumnName = labelColumnName, TokenColumnName = tokenColumnName, HiddenSize = hiddenSize, NumberOfEpochs = numberOfEpochs, LearningRate = learningRate,
        });

    /// <summary>
    /// Evaluates a tagger's output: token accuracy, per-tag and macro precision/recall/F1, chunk (entity)
    /// precision/recall/F1 for BIO/BIOES tags, and the confusion matrix; <c>ToString()</c> prints a report.
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog, <c>mlContext.MulticlassClassification</c>.</param>
    /// <param name="data">Scored data with the gold and predicted key vectors.</param>
    /// <param name="labelColumnName">The gold tags (a key vector with the tag names as KeyValues).</param>
    /// <param name="predictedLabelColumnName">The predicted tags, over the same keys.</param>
    /// <param name="strict">Read chunks as seqeval's strict mode does (only well-formed chunks count) instead of as conlleval does.</param>
    /// <example>
    /// <code>
    /// TaggingMetrics metrics = ml.MulticlassClassification.EvaluateTagging(model.Transform(test));
    /// Console.WriteLine(metrics);   // accuracy, chunk F1 per type, per-tag table
    /// </code>
    /// </example>
    public static TaggingMetrics EvaluateTagging(this MulticlassClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel", bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TaggingEvaluator.Evaluate(data, labelColumnName, predictedLabelColumnName, strict);
    }
}
