namespace Microsoft.ML.Recurrent.Samples.Sentiment;

/// <summary>One review sentence and, for training and evaluation, its sentiment.</summary>
public sealed class ModelInput
{
    /// <summary>The sentence.</summary>
    public string Sentence { get; set; } = "";

    /// <summary>True for positive.</summary>
    public bool Label { get; set; }
}
