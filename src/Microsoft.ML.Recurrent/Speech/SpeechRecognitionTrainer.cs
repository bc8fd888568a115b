using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Generation;
using Microsoft.ML.Recurrent.Speech;
using Microsoft.ML.Recurrent.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Trains a CTC speech recognizer (Deep Speech 2 style) on a frames column and a transcript column: the symbols
/// (characters or tokens) are learned from the transcripts in <c>Fit</c>, the acoustic model learns with CTC,
/// SortaGrad, clipping and the foundation loop's schedules and early stopping on the validation symbol error rate.
/// Create it from the catalog: <c>mlContext.Transforms.SpeechRecognition(options)</c>.
/// </summary>
public sealed class SpeechRecognitionTrainer : IEstimator<SpeechRecognitionTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly SpeechRecognitionOptions _options;

    internal SpeechRecognitionTrainer(IHostEnvironment environment, SpeechRecognitionOptions options)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/>, holding out <see cref="RecurrentTrainingOptions.ValidationFraction"/> of its rows for early stopping if set.</summary>
    /// <exception cref="InvalidDataException">A transcript is empty, or a frame is not finite (names the row).</exception>
    public SpeechRecognitionTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>
    /// Trains on <paramref name="input"/> and stops early on <paramref name="validationData"/> (same columns), e.g. utterances
    /// of speakers not in training, which tell more about new speakers than held-out rows of the training speakers do.
    /// </summary>
    public SpeechRecognitionTransformer Fit(IDataView input, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(input);
        SpeechRecognitionOptions o = _options;
        IHost host = _environment.Register(nameof(SpeechRecognitionTrainer));
        int seed = o.Seed ?? host.Rand.Next();
        SequenceFeatureColumn features = SequenceFeatureColumn.Bind(input.Schema, o.FeatureColumnName, o.FrameSize);
        if (features.IsTokens) throw new ArgumentOutOfRangeException(nameof(input), $"The column '{features.Name}' holds keys; a speech recognizer reads frames (a vector of Single, e.g. from mlContext.Transforms.AudioFeatures).");
        // The symbol inventory comes from every transcript (validation ones too), so no held-out utterance has an unknown symbol.
        SymbolVocabulary vocabulary = SymbolVocabulary.Build(o.Unit,
            validationData is null ? TextColumn.Read(input, o.TranscriptColumnName) : TextColumn.Read(input, o.TranscriptColumnName).Concat(TextColumn.Read(validationData, o.TranscriptColumnName)), minimumFrequency: 1);
        if (vocabulary.Size <= 2) throw new InvalidDataException($"The transcripts of column '{o.TranscriptColumnName}' hold no symbols.");
        (Func<long, bool>? trainRows, Func<long, bool>? validationRows) = ValidationSplit.Filters(validationData is not null, o.ValidationFraction, seed);
        var train = new Utterances(Utterances.Read(input, features, o.TranscriptColumnName, vocabulary, trainRows), o.SortaGrad);
        Utterances? validation = validationData is not null
            ? new Utterances(Utterances.Read(validationData, SequenceFeatureColumn.Bind(validationData.Schema, features.Name, features.FrameSize), o.TranscriptColumnName, vocabulary, null), sortaGrad: false)
            : validationRows is null ? null : new Utterances(Utterances.Read(input, features, o.TranscriptColumnName, vocabulary, validationRows), sortaGrad: false);
        if (train.Count == 0) throw new InvalidOperationException("The training data has no utterances.");
        SpeechDecoder decoder = SpeechDecoder.Create(vocabulary, o.Decoder);   // before training: a bad language-model text fails fast

        AcousticArchitecture architecture = o.Architecture(features.FrameSize, vocabulary.Size - 1);
        var model = new SpeechTrainingModel(new AcousticNetwork(architecture, new Random(seed)), features.FrameSize, o);
        using IChannel channel = host.Start("Training");
        var loop = new TrainingLoop<SequenceExample>(o) { EpochStarting = epoch => train.Epoch = epoch };
        string description = $"a CTC acoustic model ({(architecture.ConvolutionChannels > 0 ? $"{architecture.ConvolutionChannels}-channel convolution, " : "")}{architecture.NumLayers} x "
            + $"{(architecture.Bidirectional ? "bidirectional " : "")}{architecture.Cell} {architecture.HiddenSize}) over {vocabulary.Size - 2} {o.Unit.ToString().ToLowerInvariant()} symbols, frames of {features.FrameSize}";
        loop.Train(channel, seed, model, train, validation, description, architecture.ToString());
        return new SpeechRecognitionTransformer(model.Network, features, vocabulary, Columns(o), decoder, loop.History);
    }

    /// <summary>The input columns followed by the transcript text, the symbols (key vector) and, when named, the spike frames.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SequenceFeatureColumn.CheckShape(inputSchema, _options.FeatureColumnName);
        return MLNetInternals.Append(inputSchema, Columns(_options).OutputSchema(2, ["", ""]));   // placeholders: the symbols are known after Fit
    }

    private static SpeechColumns Columns(SpeechRecognitionOptions o) => new(o.FeatureColumnName, o.OutputColumnName, o.TokensColumnName, o.TimesColumnName);
}
