using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Tagging;
using Microsoft.ML.Recurrent.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Trains a BiLSTM-CRF sequence tagger (part of speech, named entities, slots): word embeddings learned from
/// the training tokens plus casing features, a stacked BiLSTM with variational dropout, and a linear-chain CRF
/// restricted to valid BIO/BIOES sequences when the tag names use a scheme. Create it from the catalog:
/// <c>mlContext.MulticlassClassification.Trainers.SequenceTagger(options)</c>.
/// </summary>
public sealed class SequenceTaggerTrainer : IEstimator<SequenceTaggingTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly SequenceTaggerOptions _options;

    internal SequenceTaggerTrainer(IHostEnvironment environment, SequenceTaggerOptions options)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/>, holding out <see cref="RecurrentTrainingOptions.ValidationFraction"/> of its rows for early stopping if set.</summary>
    public SequenceTaggingTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains on <paramref name="trainData"/>, choosing the epoch and stopping early on <paramref name="validationData"/> (same columns).</summary>
    public SequenceTaggingTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        _options.Validate();
        IHost host = _environment.Register(nameof(SequenceTaggerTrainer));
        int seed = _options.Seed ?? host.Rand.Next();
        TaggingColumns.CheckTokens(trainData.Schema, _options.TokenColumnName);
        string[] names = TaggingColumns.TagNames(trainData.Schema, _options.LabelColumnName);
        if (validationData is not null)
        {
            TaggingColumns.CheckTokens(validationData.Schema, _options.TokenColumnName);
            if (!TaggingColumns.TagNames(validationData.Schema, _options.LabelColumnName).SequenceEqual(names))
                throw new ArgumentOutOfRangeException(nameof(validationData), $"The validation label column '{_options.LabelColumnName}' has other tags than the training one; map both with the same fitted MapValueToKey.");
        }
        (Func<long, bool>? trainRows, Func<long, bool>? validationRows) = ValidationSplit.Filters(validationData is not null, _options.ValidationFraction, seed);
        var tags = new TagSet(names, _options.TagScheme);
        WordVocabulary words = WordVocabulary.Build(TaggingColumns.Tokens(trainData, _options.TokenColumnName, trainRows), _options.MinimumWordFrequency);
        CharacterVocabulary? characters = _options.UseCharacterFeatures ? CharacterVocabulary.Build(TaggingColumns.Tokens(trainData, _options.TokenColumnName, trainRows)) : null;
        var columns = new TaggingColumns(_options.TokenColumnName, _options.LabelColumnName, words, _options.UseCasingFeatures, characters);
        var architecture = new TaggerArchitecture(words.Size, tags.Count)
        {
            Cell = _options.Cell, EmbeddingSize = _options.WordEmbeddingSize, FeatureSize = columns.FeatureSize, HiddenSize = _options.HiddenSize,
            CharacterVocabularySize = characters?.Size ?? 0, CharacterEmbeddingSize = _options.CharacterEmbeddingSize, CharacterFilters = _options.CharacterFilters,
            NumLayers = _options.NumberOfLayers, Dropout = _options.Dropout, UseCrf = _options.UseCrf, Constraints = tags.Constraints,
        };
        var network = new TaggerNetwork(architecture);
        network.Initialize(new Random(seed));
        var model = new TaggingModel(network, _options.WordDropout);
        var train = new TaggingExampleSource(trainData, columns, tags, trainRows);
        IExampleSource<SequenceExample>? validation = validationData is not null ? new TaggingExampleSource(validationData, columns, tags)
            : validationRows is not null ? new TaggingExampleSource(trainData, columns, tags, validationRows) : null;

        using IChannel channel = host.Start("Training");
        string head = _options.UseCrf ? $"a CRF ({(tags.Scheme == TagScheme.None ? "any tag sequence" : $"{tags.Scheme} sequences only")})" : "a softmax per token";
        string description = $"a {architecture.NumLayers}-layer Bi{architecture.Cell} tagger, H={architecture.HiddenSize}, {words.Size - 1:N0} words x {architecture.EmbeddingSize}"
            + (characters is null ? "" : $" + character CNN ({characters.Size - 1} characters x {architecture.CharacterEmbeddingSize}, {architecture.CharacterFilters} filters)")
            + (columns.Casing ? " + casing" : "") + $", {tags.Count} tags, {head}";
        var loop = new TrainingLoop<SequenceExample>(_options);
        loop.Train(channel, seed, model, train, validation, description, $"{architecture with { Constraints = null }}, scheme {tags.Scheme}, words {words.Size}");
        return new SequenceTaggingTransformer(network, columns, tags, loop.History, _options.NumberOfThreads);
    }

    /// <summary>The input columns followed by PredictedLabel (key vector) and Score (Single vector).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column tokens = SequenceFeatureColumn.FindShape(inputSchema, _options.TokenColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The token column '{_options.TokenColumnName}' is not in the input schema.");
        if (tokens.Kind == SchemaShape.Column.VectorKind.Scalar || tokens.ItemType != TextDataViewType.Instance)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The token column '{tokens.Name}' is a {tokens.Kind} of {tokens.ItemType}; the tagger needs a vector of text.");
        SchemaShape.Column label = SequenceFeatureColumn.FindShape(inputSchema, _options.LabelColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The label column '{_options.LabelColumnName}' is not in the input schema.");
        if (label.Kind == SchemaShape.Column.VectorKind.Scalar || !label.IsKey)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The label column '{label.Name}' is a {label.Kind} of {label.ItemType}; the tagger needs a vector of keys (MapValueToKey over string[] tags).");
        return MLNetInternals.Append(inputSchema, SequenceTaggingTransformer.OutputColumns(["tag"]));
    }
}
