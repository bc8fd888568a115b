namespace Microsoft.ML.Recurrent.Samples.Sentiment;

/// <summary>What the model says about a sentence.</summary>
public sealed class ModelOutput
{
    /// <summary>True for positive.</summary>
    public bool PredictedLabel { get; set; }

    /// <summary>Probability that the sentence is positive.</summary>
    public float Probability { get; set; }

    /// <summary>The raw score (logit).</summary>
    public float Score { get; set; }
}
