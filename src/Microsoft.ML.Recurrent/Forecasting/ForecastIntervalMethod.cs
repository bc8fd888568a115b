namespace Microsoft.ML.Recurrent;

/// <summary>How a forecaster's prediction intervals are made.</summary>
public enum ForecastIntervalMethod
{
    /// <summary>
    /// Split-conformal residuals: after training, the absolute errors of each horizon step on the held-out
    /// (validation) windows give the half-width that covers the confidence level of them.
    /// </summary>
    Residual,

    /// <summary>The network also learns the lower and upper quantiles of each step with the pinball loss (direct strategy only).</summary>
    Quantile,
}
