namespace Microsoft.ML.Recurrent.Samples.TextGeneration;

/// <summary>The model input: one text per row.</summary>
public sealed class TextRow
{
    /// <summary>The text.</summary>
    public string Text { get; set; } = "";
}
