namespace Microsoft.ML.Recurrent;

/// <summary>
/// Recurrent forecasting on ML.NET's forecasting catalog, <c>mlContext.Forecasting.ForecastByRecurrent</c>, beside
/// ML.NET's <c>ForecastBySsa</c>: multi-horizon forecasts of a series with covariates and prediction intervals.
/// </summary>
public static class ForecastingCatalogExtensions
{
    /// <summary>A recurrent forecaster with every setting given.</summary>
    /// <param name="catalog">The forecasting catalog, <c>mlContext.Forecasting</c>.</param>
    /// <param name="options">Every setting (see <see cref="RecurrentForecasterOptions"/>).</param>
    /// <example>
    /// <code>
    /// // Rows in time order with a Single "Passengers" column.
    /// var forecaster = ml.Forecasting.ForecastByRecurrent(new RecurrentForecasterOptions
    /// {
    ///     InputColumnName = "Passengers", OutputColumnName = "Forecast", WindowSize = 24, Horizon = 12,
    ///     ConfidenceLevel = 0.9f, ConfidenceLowerBoundColumn = "Lower", ConfidenceUpperBoundColumn = "Upper", LogTransform = true,
    /// }).Fit(history);
    /// RecurrentForecast next = forecaster.CreateForecastingEngine().Forecast();   // the 12 months after the data
    /// </code>
    /// </example>
    public static RecurrentForecaster ForecastByRecurrent(this ForecastingCatalog catalog, RecurrentForecasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RecurrentForecaster(Data.MLNetInternals.EnvironmentOf(catalog), options);
    }

    /// <summary>A recurrent forecaster of <paramref name="horizon"/> values from windows of <paramref name="windowSize"/> (GRU, 64 units, residual intervals).</summary>
    /// <param name="catalog">The forecasting catalog, <c>mlContext.Forecasting</c>.</param>
    /// <param name="outputColumnName">The forecast column (a vector of <paramref name="horizon"/>).</param>
    /// <param name="inputColumnName">The series column (Single).</param>
    /// <param name="windowSize">Past observations each forecast reads.</param>
    /// <param name="horizon">Values forecast after each row.</param>
    /// <param name="confidenceLevel">The intervals' confidence level.</param>
    /// <param name="confidenceLowerBoundColumn">The lower bound column, or null.</param>
    /// <param name="confidenceUpperBoundColumn">The upper bound column, or null.</param>
    /// <example>
    /// <code>
    /// var model = ml.Forecasting.ForecastByRecurrent("Forecast", "Value", windowSize: 48, horizon: 24).Fit(series);
    /// </code>
    /// </example>
    public static RecurrentForecaster ForecastByRecurrent(this ForecastingCatalog catalog, string outputColumnName, string inputColumnName,
        int windowSize, int horizon, float confidenceLevel = 0.95f, string? confidenceLowerBoundColumn = null, string? confidenceUpperBoundColumn = null) =>
        ForecastByRecurrent(catalog, new RecurrentForecasterOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            WindowSize = windowSize,
            Horizon = horizon,
            ConfidenceLevel = confidenceLevel,
            ConfidenceLowerBoundColumn = confidenceLowerBoundColumn,
            ConfidenceUpperBoundColumn = confidenceUpperBoundColumn,
        });
}
