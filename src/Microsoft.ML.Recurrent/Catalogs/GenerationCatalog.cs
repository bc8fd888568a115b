using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// The recurrent language model on ML.NET's text transforms, <c>mlContext.Transforms.Text.LanguageModel</c>:
/// it learns from a text column and appends generated continuations and perplexities.
/// </summary>
public static class GenerationCatalog
{
    /// <summary>A language model with every setting given.</summary>
    /// <param name="catalog">The text transforms, <c>mlContext.Transforms.Text</c>.</param>
    /// <param name="options">Every training setting (see <see cref="LanguageModelOptions"/>).</param>
    /// <param name="generation">How the fitted model's <c>Transform</c> generates (defaults when null).</param>
    /// <example>
    /// <code>
    /// // Rows with a string Text column.
    /// var lm = ml.Transforms.Text.LanguageModel(new LanguageModelOptions { TextColumnName = "Text", HiddenSize = 256 }).Fit(data);
    /// string more = lm.CreateGenerator().Generate("ROMEO:", new GenerationOptions { Temperature = 0.8f, MaximumLength = 300 });
    /// </code>
    /// </example>
    public static LanguageModelTrainer LanguageModel(this TransformsCatalog.TextTransforms catalog, LanguageModelOptions options, GenerationOptions? generation = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new LanguageModelTrainer(MLNetInternals.EnvironmentOf(catalog), options, generation);
    }

    /// <summary>A character-level language model with default settings except those given.</summary>
    /// <param name="catalog">The text transforms, <c>mlContext.Transforms.Text</c>.</param>
    /// <param name="textColumnName">The text column (a scalar of text).</param>
    /// <param name="hiddenSize">Hidden units of each layer.</param>
    /// <param name="numberOfLayers">Stacked layers.</param>
    /// <param name="numberOfEpochs">Passes over the training text.</param>
    /// <example>
    /// <code>
    /// var lm = ml.Transforms.Text.LanguageModel("Text", hiddenSize: 128, numberOfEpochs: 5).Fit(data);
    /// </code>
    /// </example>
    public static LanguageModelTrainer LanguageModel(this TransformsCatalog.TextTransforms catalog, string textColumnName = "Text", int hiddenSize = 256,
        int numberOfLayers = 2, int numberOfEpochs = 20) =>
        LanguageModel(catalog, new LanguageModelOptions { TextColumnName = textColumnName, HiddenSize = hiddenSize, NumberOfLayers = numberOfLayers, NumberOfEpochs = numberOfEpochs });
}
