using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>
/// The two baselines printed beside the recurrent model: seasonal naive, and ML.NET's FastTree regressor on lag
/// features (one model for every horizon step, the step a feature). Both forecast the same origins.
/// </summary>
internal static class Baselines
{
    /// <summary>y[o + h] forecast by the value one season earlier (the last observed season, repeated).</summary>
    public static ForecastWindow[] SeasonalNaive(float[] values, IReadOnlyList<int> origins, int horizon, int season) =>
        [.. origins.Select(o => new ForecastWindow(values[o..(o + horizon)],
            [.. Enumerable.Range(0, horizon).Select(h => values[o + h - season * (1 + h / season)])]))];

    /// <summary>
    /// FastTree on lag features: for origin o and step h, the window's values relative to the last one (the
    /// recurrent model's view, on log(1 + y) with <paramref name="log"/>), the same-season value of step h, the level,
    /// h, the known covariates at o + h and the past covariates at o - 1; the label is the change from the last value.
    /// Trained on the origins of rows [0, <paramref name="trainRows"/>).
    /// </summary>
    public static ForecastWindow[] LagTrees(MLContext ml, SeriesData series, int trainRows, IReadOnlyList<int> origins, int window, int horizon, int season, bool log)
    {
        float[] z = [.. series.Values.Select(v => log ? MathF.Log(1 + v) : v)];
        int lags = Math.Max(window, season);
        int first = lags, last = trainRows - horizon;
        // At most about 200,000 training rows: every k-th origin.
        int stride = Math.Max(1, (last - first + 1) * horizon / 200_000);
        IEnumerable<LagRow> Rows(int o) => Enumerable.Range(0, horizon).Select(h => Row(series, z, o, h, lags, season, o + h < z.Length ? z[o + h] - z[o - 1] : 0));
        var training = Enumerable.Range(0, (last - first) / stride + 1).Select(k => first + k * stride).SelectMany(Rows).ToList();
        int size = training[0].Features.Length;
        var schema = SchemaDefinition.Create(typeof(LagRow));
        schema[nameof(LagRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        var trainer = ml.Regression.Trainers.FastTree(numberOfLeaves: 31, numberOfTrees: 300, minimumExampleCountPerLeaf: 10, learningRate: 0.1);
        ITransformer model = trainer.Fit(ml.Data.LoadFromEnumerable(training, schema));
        var engine = ml.Model.CreatePredictionEngine<LagRow, LagPrediction>(model, inputSchemaDefinition: schema);
        return [.. origins.Select(o =>
        {
            float[] forecast = [.. Rows(o).Select(row => z[o - 1] + engine.Predict(row).Score).Select(v => log ? MathF.Exp(v) - 1 : v)];
            return new ForecastWindow(series.Values[o..(o + horizon)], forecast);
        })];
    }

    private static LagRow Row(SeriesData series, float[] z, int o, int h, int lags, int season, float label)
    {
        float level = z[o - 1];
        var features = new List<float>(lags + 8);
        for (int k = 1; k <= lags; k++) features.Add(z[o - k] - level);
        features.Add(z[o + h - season * (1 + h / season)] - level);
        features.Add(level);
        features.Add(h);
        features.AddRange(series.Known.Select(c => series.Columns[c][o + h]));
        features.AddRange(series.Past.Select(c => series.Columns[c][o - 1]));
        return new LagRow { Features = [.. features], Label = label };
    }

    private sealed class LagRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private sealed class LagPrediction
    {
        public float Score { get; set; }
    }
}
