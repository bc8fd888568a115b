namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>The predicted log-ratio of the next value to the last one.</summary>
public sealed class ModelOutput
{
    /// <summary>Predicted log(1 + y[t]) - log(1 + y[t-1]).</summary>
    public float Score { get; set; }
}
