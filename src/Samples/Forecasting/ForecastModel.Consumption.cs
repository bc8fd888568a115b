namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>Consumption part: forecast the next value of a series from its recent history.</summary>
internal static partial class ForecastModel
{
    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static ITransformer Load(MLContext ml, string path) => ml.Model.LoadRecurrentModel(path, out _);

    /// <summary>One-step-ahead forecasts of <paramref name="series"/>[t] for every t in [<paramref name="from"/>, series.Count), each from the actual values before t.</summary>
    public static double[] Forecast(MLContext ml, ITransformer model, IReadOnlyList<double> series, int from)
    {
        PredictionEngine<ModelInput, ModelOutput> engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
        return [.. Enumerable.Range(from, series.Count - from).Select(t => SeriesData.FromRatio(series[t - 1], engine.Predict(SeriesData.At(series, t)).Score))];
    }
}
