namespace Microsoft.ML.Recurrent;

/// <summary>How a forecaster produces the H values of its horizon.</summary>
public enum ForecastStrategy
{
    /// <summary>One network outputs all H steps at once (direct multi-output; no error feedback between steps).</summary>
    Direct,

    /// <summary>A one-step network is rolled out H times, each forecast fed back as the next observation. Every covariate must be known ahead.</summary>
    Recursive,
}
