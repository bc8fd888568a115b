using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Generation;
using Microsoft.ML.Recurrent.Training;
using Microsoft.ML.Recurrent.Translation;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Trains an encoder-decoder with attention on a source and a target text column (translation, grapheme-to-phoneme,
/// normalization): symbols learned from the training rows on each side, a (bi)LSTM/GRU encoder, a decoder that
/// attends over every source position, teacher forcing or scheduled sampling, label smoothing as an option.
/// Create it from the catalog: <c>mlContext.Transforms.Text.SequenceToSequence(options)</c>.
/// </summary>
public sealed class Seq2SeqTrainer : IEstimator<Seq2SeqTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly Seq2SeqOptions _options;
    private readonly Seq2SeqDecodingOptions _decoding;

    internal Seq2SeqTrainer(IHostEnvironment environment, Seq2SeqOptions options)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _decoding = options.Decoding.Clone();
    }

    /// <summary>Trains on <paramref name="input"/>, holding out <see cref="RecurrentTrainingOptions.ValidationFraction"/> of its rows for early stopping if set.</summary>
    public Seq2SeqTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains on <paramref name="trainData"/>, choosing the epoch and stopping early on the cross-entropy of <paramref name="validationData"/> (same columns).</summary>
    public Seq2SeqTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        _options.Validate();
        IHost host = _environment.Register(nameof(Seq2SeqTrainer));
        int seed = _options.Seed ?? host.Rand.Next();
        string sourceColumn = _options.SourceColumnName, targetColumn = _options.TargetColumnName;
        (Func<long, bool>? trainRows, Func<long, bool>? validationRows) = ValidationSplit.Filters(validationData is not null, _options.ValidationFraction, seed);
        List<(long Row, string Source, string Target)> train = [.. TextPairs.Read(trainData, sourceColumn, targetColumn, trainRows)];
        if (train.Count == 0) throw new ArgumentException("The training data has no rows.", nameof(trainData));
        // Key-vector columns read as their key values, one symbol each: their side's unit is Word.
        SymbolUnit sourceUnit = SymbolColumn.Bind(trainData.Schema, sourceColumn, "source").Unit(_options.SourceUnit);
        SymbolUnit targetUnit = SymbolColumn.Bind(trainData.Schema, targetColumn, "target").Unit(_options.TargetUnit);
        var sources = SymbolVocabulary.Build(sourceUnit, train.Select(p => p.Source), _options.MinimumSymbolFrequency);
        var targets = SymbolVocabulary.Build(targetUnit, train.Select(p => p.Target), 1);
        List<SymbolPair> trainPairs = Encode(train, sources, targets, "training");
        int longest = trainPairs.Max(p => p.Target.Length);
        int maximum = _options.MaximumTargetLength > 0 ? _options.MaximumTargetLength : 2 * longest + 10;
        CheckLengths(train, trainPairs, maximum, "training");
        List<SymbolPair>? validationPairs = null;
        if (validationData is not null || validationRows is not null)
        {
            List<(long, string, string)> held = [.. validationData is not null ? TextPairs.Read(validationData, sourceColumn, targetColumn)
                : TextPairs.Read(trainData, sourceColumn, targetColumn, validationRows)];
            validationPairs = Encode(held, sources, targets, "validation");
        }
        Seq2SeqArchitecture architecture = _options.Architecture(sources.Size, targets.Size);
        var network = new Seq2SeqNetwork(architecture);
        network.Initialize(new Random(seed));
        var schedule = new TeacherForcingSchedule(_options.TeacherForcingDecay, _options.TeacherForcingDecaySteps, _options.MinimumTeacherForcing);
        var model = new Seq2SeqTraining(network, schedule, _options.LabelSmoothing);

        using IChannel channel = host.Start("Training");
        string description = $"a seq2seq model: {(architecture.Bidirectional ? "bidirectional " : "")}{architecture.EncoderLayers}-layer {architecture.Cell} encoder H={architecture.EncoderHiddenSize}, "
            + $"{architecture.DecoderLayers}-layer decoder H={architecture.DecoderHiddenSize} with {architecture.Score} attention{(architecture.InputFeeding ? " and input feeding" : "")}, "
            + $"{sources.Size - 2:N0} source and {targets.Size - 2:N0} target symbols, {trainPairs.Count:N0} pairs"
            + (_options.TeacherForcingDecay == TeacherForcingDecay.None ? ", teacher forcing" : $", scheduled sampling ({_options.TeacherForcingDecay}, S={_options.TeacherForcingDecaySteps}, m={_options.MinimumTeacherForcing})");
        var loop = new TrainingLoop<SymbolPair>(_options);
        loop.Train(channel, seed, model, new SymbolPairs(trainPairs), validationPairs is null ? null : new SymbolPairs(validationPairs), description,
            $"{architecture}, units {sourceUnit}/{targetUnit}, symbols {sources.Size}/{targets.Size}, smoothing {_options.LabelSmoothing}, "
            + $"teacher forcing {_options.TeacherForcingDecay}/{_options.TeacherForcingDecaySteps}/{_options.MinimumTeacherForcing}");
        return new Seq2SeqTransformer(network, sources, targets, sourceColumn, targetColumn, maximum, _decoding, loop.History);
    }

    /// <summary>The input columns followed by PredictedText (text), PredictedSymbols (key vector) and, when asked, AttentionWeights.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column source = SequenceFeatureColumn.FindShape(inputSchema, _options.SourceColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The source column '{_options.SourceColumnName}' is not in the input schema.");
        bool text = source.Kind == SchemaShape.Column.VectorKind.Scalar && source.ItemType == TextDataViewType.Instance;
        bool keys = source.Kind != SchemaShape.Column.VectorKind.Scalar && source.IsKey;
        if (!text && !keys)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The source column '{source.Name}' is a {source.Kind} of {source.ItemType}; a seq2seq model reads a scalar of text or a vector of UInt32 keys.");
        var columns = new DataViewSchema.Builder();
        StepColumns.AddText(columns, "PredictedText");
        // The key count is the target vocabulary, known only after Fit; a schema shape does not carry it.
        columns.AddColumn("PredictedSymbols", new VectorDataViewType(new KeyDataViewType(typeof(uint), 2)));
        if (_decoding.OutputAttention) StepColumns.AddFloatVector(columns, "AttentionWeights");
        return MLNetInternals.Append(inputSchema, columns.ToSchema());
    }

    private static List<SymbolPair> Encode(List<(long Row, string Source, string Target)> rows, SymbolVocabulary sources, SymbolVocabulary targets, string what)
    {
        var pairs = new List<SymbolPair>(rows.Count);
        foreach ((long row, string source, string target) in rows)
        {
            int[] s = sources.Encode(source);
            if (s.Length == 0) throw new InvalidOperationException($"The {what} row {row} has an empty source; every source needs at least one symbol.");
            int[] t = targets.Encode(target);
            if (targets.FirstUnknown(target) is string unknown)
                throw new InvalidOperationException($"The {what} row {row} has the target symbol '{unknown}', which no training target has; the model cannot learn to produce it.");
            pairs.Add(new SymbolPair(s, t));
        }
        return pairs;
    }

    private static void CheckLengths(List<(long Row, string Source, string Target)> rows, List<SymbolPair> pairs, int maximum, string what)
    {
        for (int i = 0; i < pairs.Count; i++)
            if (pairs[i].Target.Length > maximum)
                throw new InvalidOperationException($"The {what} row {rows[i].Row} has a target of {pairs[i].Target.Length} symbols, more than MaximumTargetLength = {maximum}.");
    }
}
