using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Translation;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A trained sequence-to-sequence model. <c>Transform</c> reads each row's source and appends <c>PredictedText</c>
/// (the output as text: characters joined, or words joined by spaces), <c>PredictedSymbols</c> (the output symbols
/// as a key vector whose key values are the target symbols) and, with <see cref="Seq2SeqDecodingOptions.OutputAttention"/>,
/// <c>AttentionWeights</c>. Source symbols never seen in training read as the unknown symbol; outputs stop at
/// <see cref="MaximumTargetLength"/> symbols. For many sources at once, <see cref="Translate"/>; for a test set,
/// <see cref="Evaluate(IDataView)"/>.
/// </summary>
public sealed class Seq2SeqTransformer : AppendingTransformer
{
    internal Seq2SeqTransformer(Seq2SeqNetwork network, SymbolVocabulary source, SymbolVocabulary target, string sourceColumn, string targetColumn,
        int maximumTargetLength, Seq2SeqDecodingOptions decoding, IReadOnlyList<RecurrentEpochMetrics> history)
    {
        Network = network;
        SourceVocabulary = source;
        TargetVocabulary = target;
        SourceColumnName = sourceColumn;
        TargetColumnName = targetColumn;
        MaximumTargetLength = maximumTargetLength;
        Decoding = decoding.Clone();
        Decoding.Validate();
        TrainingHistory = history;
    }

    internal Seq2SeqNetwork Network { get; }

    internal SymbolVocabulary SourceVocabulary { get; }

    internal SymbolVocabulary TargetVocabulary { get; }

    /// <summary>The source column the model reads.</summary>
    public string SourceColumnName { get; }

    /// <summary>The target column that training and <see cref="Evaluate(IDataView)"/> read.</summary>
    public string TargetColumnName { get; }

    /// <summary>The most symbols an output has.</summary>
    public int MaximumTargetLength { get; }

    /// <summary>How the model decodes (a copy: change it with <see cref="WithDecoding"/>).</summary>
    public Seq2SeqDecodingOptions Decoding { get; }

    /// <summary>The target symbols learned in training (without the unknown and end symbols).</summary>
    public IReadOnlyList<string> TargetSymbols => [.. TargetVocabulary.Symbols.Skip(2)];

    /// <summary>What each training epoch achieved; the metric is the validation cross-entropy in nats per target symbol (empty for a loaded model).</summary>
    public IReadOnlyList<RecurrentEpochMetrics> TrainingHistory { get; }

    /// <summary>The same model decoding with <paramref name="decoding"/>.</summary>
    public Seq2SeqTransformer WithDecoding(Seq2SeqDecodingOptions decoding)
    {
        ArgumentNullException.ThrowIfNull(decoding);
        return new Seq2SeqTransformer(Network, SourceVocabulary, TargetVocabulary, SourceColumnName, TargetColumnName, MaximumTargetLength, decoding, TrainingHistory);
    }

    /// <summary>The outputs of <paramref name="sources"/>, decoded <see cref="Seq2SeqDecodingOptions.BatchSize"/> at a time.</summary>
    public IReadOnlyList<string> Translate(IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return [.. Decode(InferenceNetwork(), [.. sources], attention: false).Select(h => TargetVocabulary.Decode(h.Symbols))];
    }

    /// <summary>The output of <paramref name="source"/> with its attention weights: one row of source-symbol weights per output symbol, the end's last.</summary>
    public (string Output, IReadOnlyList<string> Symbols, float[][] Attention) TranslateWithAttention(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Seq2SeqHypothesis h = Decode(InferenceNetwork(), [source], attention: true)[0];
        return (TargetVocabulary.Decode(h.Symbols), [.. h.Symbols.Select(id => TargetVocabulary.Symbols[id])], h.Attention!);
    }

    /// <summary>The source's symbols as the model reads them (unknown ones as &lt;unk&gt;), e.g. to label an attention plot.</summary>
    public IReadOnlyList<string> SourceSymbols(string source) => [.. SourceVocabulary.Encode(source).Select(id => SourceVocabulary.Symbols[id])];

    /// <summary>
    /// Exact match, token error rate and corpus BLEU of the model's outputs for the sources of <paramref name="data"/> against
    /// its target column; rows that share a source are that source's alternative references (the best one counts).
    /// </summary>
    public TranslationMetrics Evaluate(IDataView data) => Evaluate(data, out _);

    /// <summary>As <see cref="Evaluate(IDataView)"/>, also giving each distinct source with its output, in data order.</summary>
    public TranslationMetrics Evaluate(IDataView data, out IReadOnlyList<(string Source, string Output)> outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        var references = new Dictionary<string, List<IReadOnlyList<string>>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach ((_, string source, string target) in TextPairs.Read(data, SourceColumnName, TargetColumnName))
        {
            if (!references.TryGetValue(source, out var list)) { references[source] = list = []; order.Add(source); }
            list.Add(TargetVocabulary.Split(target));
        }
        if (order.Count == 0) throw new ArgumentException("The data has no rows to evaluate.", nameof(data));
        Seq2SeqHypothesis[] hypotheses = Decode(InferenceNetwork(), order, attention: false);
        outputs = [.. order.Select((s, i) => (s, TargetVocabulary.Decode(hypotheses[i].Symbols)))];
        return TranslationEvaluator.Evaluate(order.Select((s, i) => ((IReadOnlyList<IReadOnlyList<string>>)references[s],
            (IReadOnlyList<string>)[.. hypotheses[i].Symbols.Select(id => TargetVocabulary.Symbols[id])])));
    }

    /// <summary>A copy of the network with its weights packed for decoding (one per thread).</summary>
    internal Seq2SeqNetwork InferenceNetwork()
    {
        Seq2SeqNetwork network = Network.Clone();
        network.Frozen = true;
        return network;
    }

    internal Seq2SeqHypothesis[] Decode(Seq2SeqNetwork network, IReadOnlyList<string> sources, bool attention)
    {
        var result = new Seq2SeqHypothesis[sources.Count];
        for (int start = 0; start < sources.Count; start += Decoding.BatchSize)
        {
            int count = Math.Min(Decoding.BatchSize, sources.Count - start);
            int[][] ids = new int[count][];
            for (int i = 0; i < count; i++)
            {
                ids[i] = SourceVocabulary.Encode(sources[start + i]);
                if (ids[i].Length == 0) throw new ArgumentException($"Source {start + i} is empty; the model needs at least one source symbol.", nameof(sources));
            }
            Seq2SeqHypothesis[] batch = Decoding.BeamWidth == 1 ? Seq2SeqSearch.Greedy(network, ids, MaximumTargetLength, attention)
                : Seq2SeqSearch.Beam(network, ids, Decoding.BeamWidth, MaximumTargetLength, Decoding.LengthNormalization, attention);
            batch.CopyTo(result, start);
        }
        return result;
    }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new Seq2SeqAppender(this, inputSchema);

    /// <summary>The output columns: PredictedText (text), PredictedSymbols (key vector over the target symbols) and, when asked, AttentionWeights (Single vector).</summary>
    internal static DataViewSchema OutputColumns(SymbolVocabulary target, bool attention)
    {
        var builder = new DataViewSchema.Builder();
        StepColumns.AddText(builder, "PredictedText");
        StepColumns.AddKeyVector(builder, "PredictedSymbols", target.Size, target.Symbols);
        if (attention) StepColumns.AddFloatVector(builder, "AttentionWeights");
        return builder.ToSchema();
    }
}
