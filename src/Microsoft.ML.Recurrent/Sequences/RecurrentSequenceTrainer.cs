using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Training;
using Microsoft.ML.Runtime;

using Microsoft.ML.Recurrent.Sequences;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Trains a recurrent network (LSTM, GRU, Elman, IRNN; stacked, bidirectional) that reads a whole
/// sequence and predicts one label: binary or multiclass classification, or regression. Create it
/// from the catalogs, e.g. <c>mlContext.BinaryClassification.Trainers.Recurrent(options)</c>.
/// </summary>
public sealed class RecurrentSequenceTrainer : IEstimator<RecurrentSequenceTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly SequenceTask _task;
    private readonly RecurrentTrainerOptions _options;

    internal RecurrentSequenceTrainer(IHostEnvironment environment, SequenceTask task, RecurrentTrainerOptions options)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _task = task;
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/>, holding out <see cref="RecurrentTrainingOptions.ValidationFraction"/> of its rows for early stopping if set.</summary>
    public RecurrentSequenceTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains on <paramref name="trainData"/>, choosing the epoch and stopping early on <paramref name="validationData"/> (which must have the same columns).</summary>
    public RecurrentSequenceTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        _options.Validate();
        IHost host = _environment.Register(nameof(RecurrentSequenceTrainer));
        int seed = _options.Seed ?? host.Rand.Next();
        SequenceFeatureColumn features = SequenceFeatureColumn.Bind(trainData.Schema, _options.FeatureColumnName, _options.FrameSize);
        DataViewSchema.Column label = trainData.Schema.GetColumnOrNull(_options.LabelColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(trainData), $"The label column '{_options.LabelColumnName}' is not in the input schema (columns: {string.Join(", ", trainData.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");

        (Func<long, bool>? trainRows, Func<long, bool>? validationRows) = ValidationSplit.Filters(validationData is not null, _options.ValidationFraction, seed);
        SequenceObjective objective = CreateObjective(trainData, features, label, trainRows);
        var train = new ExampleSource(trainData, features, label.Name, objective.CreateLabelReader, trainRows);
        ExampleSource? validation = validationData is not null
            ? new ExampleSource(validationData, CheckSameColumn(validationData, features), label.Name, objective.CreateLabelReader)
            : validationRows is not null ? new ExampleSource(trainData, features, label.Name, objective.CreateLabelReader, validationRows) : null;

        var architecture = new ManyToOneArchitecture(_options.Cell, features.IsTokens ? _options.EmbeddingSize : features.FrameSize, _options.HiddenSize, objective.OutputSize)
        {
            NumLayers = _options.NumberOfLayers,
            Bidirectional = _options.Bidirectional,
            VocabularySize = features.VocabularySize,
            Dropout = _options.Dropout,
            Pooling = _options.Pooling,
        };
        var model = new ManyToOneModel(new ManyToOneNetwork(architecture, new Random(seed)), features, objective, _options.TokenDropout);
        using IChannel channel = host.Start("Training");
        if (features.IsScalarSteps)
            channel.Info(MessageSensitivity.None, $"The feature column '{features.Name}' is a variable-length Single vector without a frame shape, so each float is one step (FrameSize 1). Set FrameSize, or give the column a [0, F] shape, if several floats make a step.");
        var loop = new TrainingLoop<SequenceExample>(_options);
        string description = $"a {(architecture.Bidirectional ? "bidirectional " : "")}{architecture.NumLayers}-layer {architecture.Cell} network, H={architecture.HiddenSize}"
            + (features.IsTokens ? $", embedding {architecture.InputSize} over {features.VocabularySize - 1:N0} tokens" : $", frames of {features.FrameSize}");
        loop.Train(channel, seed, model, train, validation, description, architecture.ToString());
        return new RecurrentSequenceTransformer(model.Network, features, objective, loop.History, _options.NumberOfThreads);
    }

    /// <summary>The input columns followed by the prediction columns this trainer's model adds.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SequenceFeatureColumn.CheckShape(inputSchema, _options.FeatureColumnName);
        SchemaShape.Column label = SequenceFeatureColumn.FindShape(inputSchema, _options.LabelColumnName) ??
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The label column '{_options.LabelColumnName}' is not in the input schema.");
        bool labelOk = _task switch
        {
            SequenceTask.BinaryClassification => label.Kind == SchemaShape.Column.VectorKind.Scalar && label.ItemType == BooleanDataViewType.Instance,
            SequenceTask.MulticlassClassification => label.Kind == SchemaShape.Column.VectorKind.Scalar && label.IsKey,
            _ => label.Kind == SchemaShape.Column.VectorKind.Scalar && label.ItemType == NumberDataViewType.Single,
        };
        if (!labelOk)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The label column '{label.Name}' is a {label.Kind} of {label.ItemType}{(label.IsKey ? " keys" : "")}; "
                + _task switch
                {
                    SequenceTask.BinaryClassification => "binary classification needs a Boolean label.",
                    SequenceTask.MulticlassClassification => "multiclass classification needs a key label (MapValueToKey).",
                    _ => "regression needs a Single label.",
                });
        SequenceObjective shape = _task switch
        {
            SequenceTask.BinaryClassification => new BinaryObjective(),
            SequenceTask.MulticlassClassification => new MulticlassObjective(2, label.Annotations.Any(a => a.Name == "KeyValues") ? ["", ""] : null),
            _ => new RegressionObjective(0f, 1f),
        };
        return MLNetInternals.Append(inputSchema, shape.OutputColumns);
    }

    private SequenceObjective CreateObjective(IDataView data, SequenceFeatureColumn features, DataViewSchema.Column label, Func<long, bool>? rows)
    {
        switch (_task)
        {
            case SequenceTask.BinaryClassification:
                BinaryObjective.CheckLabel(label);
                return new BinaryObjective();
            case SequenceTask.MulticlassClassification:
                return MulticlassObjective.FromLabel(label);
            default:
                RegressionObjective.CheckLabel(label);
                double mean = 0, m2 = 0;
                long count = 0;
                foreach (SequenceExample example in new ExampleSource(data, features, label.Name, RegressionObjective.CreateRawLabelReader, rows).Read())
                {
                    count++;
                    double delta = example.Target - mean;
                    mean += delta / count;
                    m2 += delta * (example.Target - mean);
                }
                if (count == 0) throw new InvalidOperationException("The training data has no rows to train on.");
                double std = Math.Sqrt(m2 / count);
                return new RegressionObjective((float)mean, std > 1e-12 ? (float)std : 1f);
        }
    }

    private static SequenceFeatureColumn CheckSameColumn(IDataView validationData, SequenceFeatureColumn trained)
    {
        SequenceFeatureColumn column = SequenceFeatureColumn.Bind(validationData.Schema, trained.Name, trained.FrameSize);
        if (column.VocabularySize != trained.VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(validationData), $"The validation column '{trained.Name}' has a different type than the training column; transform both with the same fitted featurizer.");
        trained.CheckMatches(column);
        return column;
    }
}
