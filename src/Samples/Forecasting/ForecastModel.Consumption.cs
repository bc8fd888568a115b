namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>Consumption part: forecasts from a trained (or loaded) model, on history and beyond it.</summary>
internal static partial class ForecastModel
{
    /// <summary>Forecasts from every <paramref name="step"/>-th origin from <paramref name="firstOrigin"/> on, each from the actual history before it.</summary>
    public static IReadOnlyList<ForecastWindow> RollingOrigins(RecurrentForecastingTransformer model, IDataView series, int firstOrigin, int step) =>
        model.ForecastRollingOrigins(series, firstOrigin, step);

    /// <summary>The next H values after the whole series, as an application forecasts the future (series without known covariates).</summary>
    public static RecurrentForecast Next(RecurrentForecastingTransformer model, IDataView series) =>
        model.CreateForecastingEngine(series).Forecast();
}
