using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// The sequence-to-sequence model with attention on ML.NET's text transforms, <c>mlContext.Transforms.Text.SequenceToSequence</c>:
/// it learns to map a source text column to a target text column and appends the predicted text.
/// </summary>
public static class TranslationCatalog
{
    /// <summary>A sequence-to-sequence model with every setting given.</summary>
    /// <param name="catalog">The text transforms, <c>mlContext.Transforms.Text</c>.</param>
    /// <param name="options">Every setting (see <see cref="Seq2SeqOptions"/>).</param>
    /// <example>
    /// <code>
    /// // Rows with string Word and string Phonemes ("HH AH0 L OW1").
    /// var g2p = ml.Transforms.Text.SequenceToSequence(new Seq2SeqOptions { SourceColumnName = "Word", TargetColumnName = "Phonemes", TargetUnit = SymbolUnit.Word }).Fit(data);
    /// IReadOnlyList&lt;string&gt; phonemes = g2p.Translate(["hello", "world"]);
    /// </code>
    /// </example>
    public static Seq2SeqTrainer SequenceToSequence(this TransformsCatalog.TextTransforms catalog, Seq2SeqOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new Seq2SeqTrainer(MLNetInternals.EnvironmentOf(catalog), options);
    }

    /// <summary>A character-to-character sequence-to-sequence model with default settings except those given.</summary>
    /// <param name="catalog">The text transforms, <c>mlContext.Transforms.Text</c>.</param>
    /// <param name="sourceColumnName">The source column (a scalar of text).</param>
    /// <param name="targetColumnName">The target column (a scalar of text).</param>
    /// <param name="hiddenSize">Hidden units of the encoder (per direction) and of the decoder.</param>
    /// <param name="numberOfEpochs">Passes over the training pairs.</param>
    public static Seq2SeqTrainer SequenceToSequence(this TransformsCatalog.TextTransforms catalog, string sourceColumnName = "Source", string targetColumnName = "Target",
        int hiddenSize = 256, int numberOfEpochs = 20) =>
        SequenceToSequence(catalog, new Seq2SeqOptions
        {
            SourceColumnName = sourceColumnName, TargetColumnName = targetColumnName, EncoderHiddenSize = hiddenSize, DecoderHiddenSize = hiddenSize,
            AttentionSize = hiddenSize, NumberOfEpochs = numberOfEpochs,
        });
}
