using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Generation;
using Microsoft.ML.Recurrent.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Trains a recurrent language model on a text column: symbols (characters or words) learned from the
/// training rows, an embedding, a stacked LSTM/GRU with variational dropout and a softmax over the
/// symbols, by truncated BPTT over parallel streams of the joined texts, with teacher forcing and
/// optionally scheduled sampling. Create it from the catalog: <c>mlContext.Transforms.Text.LanguageModel(options)</c>.
/// </summary>
public sealed class LanguageModelTrainer : IEstimator<LanguageModelTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly LanguageModelOptions _options;
    private readonly GenerationOptions _generation;

    internal LanguageModelTrainer(IHostEnvironment environment, LanguageModelOptions options, GenerationOptions? generation)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _generation = (generation ?? new GenerationOptions()).Clone();
        _generation.Validate();
    }

    /// <summary>Trains on <paramref name="input"/>, holding out <see cref="RecurrentTrainingOptions.ValidationFraction"/> of its rows for early stopping if set.</summary>
    public LanguageModelTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains on <paramref name="trainData"/>, choosing the epoch and stopping early on the cross-entropy of <paramref name="validationData"/> (same text column).</summary>
    public LanguageModelTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        _options.Validate();
        IHost host = _environment.Register(nameof(LanguageModelTrainer));
        int seed = _options.Seed ?? host.Rand.Next();
        string column = _options.TextColumnName;
        TextColumn.Check(trainData.Schema, column);
        if (validationData is not null) TextColumn.Check(validationData.Schema, column);
        (Func<long, bool>? trainRows, Func<long, bool>? validationRows) = ValidationSplit.Filters(validationData is not null, _options.ValidationFraction, seed);
        var vocabulary = SymbolVocabulary.Build(_options.Unit, TextColumn.Read(trainData, column, trainRows), _options.MinimumSymbolFrequency);
        List<int[]> trainTexts = [.. TextColumn.Read(trainData, column, trainRows).Select(vocabulary.Encode)];
        List<int[]>? validationTexts = validationData is not null ? [.. TextColumn.Read(validationData, column).Select(vocabulary.Encode)]
            : validationRows is not null ? [.. TextColumn.Read(trainData, column, validationRows).Select(vocabulary.Encode)] : null;
        // Texts that fit in a window train as independent sequences from a zero state, as generation starts; longer ones are streamed.
        int window = _options.SequenceLength;
        bool independent = trainTexts.Max(t => t.Length) + 1 <= window;
        IExampleSource<TextBatch> Source(List<int[]> texts, out string shape)
        {
            if (independent && texts.Count > 0 && texts.Max(t => t.Length) + 1 <= window)
            {
                shape = $"{texts.Count:N0} texts as independent sequences, {_options.BatchSize} per batch";
                return new TextSequences(texts);
            }
            var streams = new TextStreams(texts, _options.BatchSize, window);
            shape = $"{streams.Streams} streams of {streams.StreamLength:N0} symbols in windows of {window}";
            return new StreamBatches(streams);
        }
        IExampleSource<TextBatch> train = Source(trainTexts, out string trainShape);
        IExampleSource<TextBatch>? validation = validationTexts is null ? null : Source(validationTexts, out _);
        var architecture = new LanguageModelArchitecture(vocabulary.Size)
        {
            Cell = _options.Cell, EmbeddingSize = _options.EmbeddingSize, HiddenSize = _options.HiddenSize, NumLayers = _options.NumberOfLayers,
            Dropout = _options.Dropout, TieWeights = _options.TieWeights,
        };
        var network = new LanguageModelNetwork(architecture);
        network.Initialize(new Random(seed));
        var schedule = new TeacherForcingSchedule(_options.TeacherForcingDecay, _options.TeacherForcingDecaySteps, _options.MinimumTeacherForcing);
        var model = new LanguageModelTraining(network, schedule);

        using IChannel channel = host.Start("Training");
        string description = $"a {architecture.NumLayers}-layer {architecture.Cell} {_options.Unit.ToString().ToLowerInvariant()} language model, H={architecture.HiddenSize}, "
            + $"{vocabulary.Size - 2:N0} symbols x {architecture.EmbeddingSize}{(architecture.TieWeights ? " (tied)" : "")}, {trainShape}"
            + (_options.TeacherForcingDecay == TeacherForcingDecay.None ? ", teacher forcing" : $", scheduled sampling ({_options.TeacherForcingDecay}, S={_options.TeacherForcingDecaySteps}, m={_options.MinimumTeacherForcing})");
        Action<int, TextGenerator>? epochEnded = _options.EpochEnded;
        var loop = new TrainingLoop<TextBatch>(_options) { EpochEnded = epochEnded is null ? null : epoch => epochEnded(epoch, new TextGenerator(network, vocabulary)) };
        loop.Train(channel, seed, model, train, validation, description,
            $"{architecture}, unit {_options.Unit}, symbols {vocabulary.Size}, T {_options.SequenceLength}, teacher forcing {_options.TeacherForcingDecay}/{_options.TeacherForcingDecaySteps}/{_options.MinimumTeacherForcing}");
        return new LanguageModelTransformer(network, vocabulary, column, _generation, loop.History);
    }

    /// <summary>The input columns followed by GeneratedText (text) and Perplexity (Single).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SequenceFeatureColumn.RequireScalarText(inputSchema, _options.TextColumnName, "text", "one text per row");
        return MLNetInternals.Append(inputSchema, LanguageModelTransformer.OutputColumns());
    }
}
