namespace Microsoft.ML.Recurrent;

/// <summary>How a forecaster presents a window's values to its network (after the scaling learned in <c>Fit</c>).</summary>
public enum ForecastNormalization
{
    /// <summary>Values standardized with the training series' mean and standard deviation.</summary>
    Global,

    /// <summary>
    /// Also relative to the window's last observed value: the network reads the differences from it (and the
    /// standardized level) and predicts the change from it, which carries over to levels not seen in training.
    /// </summary>
    LastValue,
}
