namespace Microsoft.ML.Recurrent;

/// <summary>A forecast of the next H values with its prediction interval at the model's confidence level.</summary>
/// <param name="Forecast">[H] the forecast values.</param>
/// <param name="LowerBound">[H] lower bounds.</param>
/// <param name="UpperBound">[H] upper bounds.</param>
public sealed record RecurrentForecast(float[] Forecast, float[] LowerBound, float[] UpperBound);
