using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Generation;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A trained language model. <c>Transform</c> treats each row's text as a prompt and appends
/// <c>GeneratedText</c> (its continuation, made with <see cref="Generation"/>; row r samples with seed
/// <c>Generation.Seed + r</c>) and <c>Perplexity</c> (of the row's text under the model). For code that
/// streams tokens, <see cref="CreateGenerator"/>; for a dataset's cross-entropy, <see cref="Evaluate"/>.
/// </summary>
public sealed class LanguageModelTransformer : AppendingTransformer
{
    internal LanguageModelTransformer(LanguageModelNetwork network, SymbolVocabulary vocabulary, string textColumn, GenerationOptions generation,
        IReadOnlyList<RecurrentEpochMetrics> history)
    {
        Network = network;
        Vocabulary = vocabulary;
        TextColumnName = textColumn;
        Generation = generation.Clone();
        Generation.Validate();
        TrainingHistory = history;
    }

    internal LanguageModelNetwork Network { get; }

    internal SymbolVocabulary Vocabulary { get; }

    /// <summary>The text column the model reads (training texts, prompts).</summary>
    public string TextColumnName { get; }

    /// <summary>Characters or words.</summary>
    public SymbolUnit Unit => Vocabulary.Unit;

    /// <summary>The symbols learned in training (without the unknown and end-of-text symbols).</summary>
    public IReadOnlyList<string> Symbols => [.. Vocabulary.Symbols.Skip(2)];

    /// <summary>How <c>Transform</c> generates (a copy: change it with <see cref="WithGeneration"/>).</summary>
    public GenerationOptions Generation { get; }

    /// <summary>What each training epoch achieved; the metric is the validation cross-entropy in nats per symbol (empty for a loaded model).</summary>
    public IReadOnlyList<RecurrentEpochMetrics> TrainingHistory { get; }

    /// <summary>The same model generating with <paramref name="generation"/>.</summary>
    public LanguageModelTransformer WithGeneration(GenerationOptions generation)
    {
        ArgumentNullException.ThrowIfNull(generation);
        return new LanguageModelTransformer(Network, Vocabulary, TextColumnName, generation, TrainingHistory);
    }

    /// <summary>A generator for code that streams text (one per thread).</summary>
    public TextGenerator CreateGenerator() => new(Network, Vocabulary);

    /// <summary>Cross-entropy of the texts of <paramref name="data"/>'s text column: every symbol and each text's end, given the text before it.</summary>
    public LanguageModelMetrics Evaluate(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        TextGenerator generator = CreateGenerator();
        double nats = 0;
        long symbols = 0, texts = 0;
        foreach (string text in TextColumn.Read(data, TextColumnName))
        {
            (double n, int count) = generator.NegativeLogLikelihood(text);
            nats += n;
            symbols += count;
            texts++;
        }
        if (texts == 0) throw new ArgumentException("The data has no rows to evaluate.", nameof(data));
        return new LanguageModelMetrics(nats / symbols, symbols, texts);
    }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new LanguageModelAppender(this, inputSchema);

    /// <summary>The output columns: GeneratedText (text) and Perplexity (Single).</summary>
    internal static DataViewSchema OutputColumns()
    {
        var builder = new DataViewSchema.Builder();
        StepColumns.AddText(builder, "GeneratedText");
        builder.AddColumn("Perplexity", NumberDataViewType.Single);
        return builder.ToSchema();
    }
}
