using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>
/// A window of past observations, expressed as log-ratios to the most recent one
/// (log(1 + y[t-k]) - log(1 + y[t-1])), and the log-ratio of the next value as the label.
/// Ratios make the model indifferent to the level of the series, so a trend does not take it out of range.
/// </summary>
public sealed class ModelInput
{
    /// <summary>Number of past observations the model reads.</summary>
    public const int Window = 24;

    /// <summary>The window, oldest first, read by the model as <see cref="Window"/> steps.</summary>
    [VectorType(Window)]
    public float[] History { get; set; } = new float[Window];

    /// <summary>log(1 + y[t]) - log(1 + y[t-1]).</summary>
    public float Label { get; set; }
}
