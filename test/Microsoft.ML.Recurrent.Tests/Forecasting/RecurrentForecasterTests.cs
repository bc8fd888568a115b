using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Tests.Persistence;
using static Microsoft.ML.Recurrent.Tests.Forecasting.SyntheticSeries;

namespace Microsoft.ML.Recurrent.Tests.Forecasting;

/// <summary>The recurrent forecaster as an ML.NET estimator: it learns, its intervals cover, it takes new observations, it saves and loads.</summary>
[TestClass]
public sealed class RecurrentForecasterTests
{
    private static RecurrentForecasterOptions Options(int window, int horizon, int epochs = 30) => new()
    {
        WindowSize = window,
        Horizon = horizon,
        HiddenSize = 16,
        NumberOfEpochs = epochs,
        BatchSize = 16,
        LearningRate = 1e-2f,
        Seed = 1,
        ConfidenceLevel = 0.9f,
        ConfidenceLowerBoundColumn = "Lower",
        ConfidenceUpperBoundColumn = "Upper",
    };

    private static RecurrentForecastingTransformer Load(MLContext ml, byte[] file) =>
        ((IEnumerable<ITransformer>)ml.Model.LoadRecurrentModel(new MemoryStream(file), out _)).OfType<RecurrentForecastingTransformer>().Single();

    /// <summary>Equal within float rounding: a batch of one and a batch of many may round a product differently.</summary>
    private static void AreClose(float[] expected, float[] actual, string message)
    {
        Assert.HasCount(expected.Length, actual, message);
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], 1e-5f * Math.Max(1f, Math.Abs(expected[i])), $"{message}, step {i}");
    }

    [TestMethod]
    public void ItBeatsSeasonalNaiveOnASeasonalSeriesAndTransformMatchesRollingOrigins()
    {
        var ml = new MLContext(1);
        SeriesRow[] rows = Seasonal(800, 12, 0.3, 1);
        RecurrentForecasterOptions options = Options(24, 6, epochs: 40);
        options.EnsembleSize = 2;   // the forecasts are the members' mean
        var model = ml.Forecasting.ForecastByRecurrent(options).Fit(ml.Data.LoadFromEnumerable(rows[..720]));
        IDataView all = ml.Data.LoadFromEnumerable(rows);
        ForecastMetrics metrics = model.Evaluate(all, firstOrigin: 720, season: 12);
        double naive = SeasonalNaiveRmse(rows, 720, 6, 12);
        Assert.IsLessThan(0.9 * naive, metrics.Overall.Rmse, $"recurrent RMSE {metrics.Overall.Rmse:F3} vs seasonal naive {naive:F3}");
        Assert.AreEqual(6, metrics.PerStep.Count);

        // Row i of Transform holds the forecast from origin i + 1.
        float[][] forecasts = [.. model.Transform(all).GetColumn<float[]>("Forecast")];
        float[][] lower = [.. model.Transform(all).GetColumn<float[]>("Lower")];
        IReadOnlyList<ForecastWindow> windows = model.ForecastRollingOrigins(all, 720);
        for (int i = 0; i < windows.Count; i++)
        {
            AreClose(windows[i].Forecast, forecasts[719 + i], $"origin {720 + i}");
            AreClose(windows[i].Lower!, lower[719 + i], $"origin {720 + i}");
        }
        Assert.IsTrue(forecasts[22].All(float.IsNaN), "row 22 has only 23 observations up to it");
        Assert.IsFalse(forecasts[23].Any(float.IsNaN));
        Assert.IsFalse(forecasts[^1].Any(float.IsNaN), "without known covariates the last row forecasts past the data");
    }

    [TestMethod]
    [DataRow(ForecastIntervalMethod.Residual)]
    [DataRow(ForecastIntervalMethod.Quantile)]
    public void NinetyPercentIntervalsCoverAboutNinetyPercentOfNoise(ForecastIntervalMethod method)
    {
        var ml = new MLContext(1);
        SeriesRow[] rows = Seasonal(2400, 12, 1.0, 2);
        RecurrentForecasterOptions options = Options(12, 3, epochs: 12);
        options.IntervalMethod = method;
        options.ValidationFraction = 0.25f;
        var model = ml.Forecasting.ForecastByRecurrent(options).Fit(ml.Data.LoadFromEnumerable(rows[..1600]));
        ForecastMetrics metrics = model.Evaluate(ml.Data.LoadFromEnumerable(rows), 1600);
        Assert.IsTrue(metrics.Overall.Coverage is > 0.84 and < 0.96, $"{method} 90% intervals cover {metrics.Overall.Coverage:P1} of 800 test origins");
        Assert.IsLessThan(1.25, metrics.Overall.Rmse, $"the noise has standard deviation 1; RMSE {metrics.Overall.Rmse:F3}");
    }

    [TestMethod]
    [DataRow(ForecastStrategy.Direct)]
    [DataRow(ForecastStrategy.Recursive)]
    public void KnownCovariatesOfTheHorizonAreRead(ForecastStrategy strategy)
    {
        var ml = new MLContext(1);
        SeriesRow[] rows = Driven(1000, 3);
        RecurrentForecasterOptions options = Options(8, 4, epochs: 25);
        options.Strategy = strategy;
        options.KnownCovariateColumnNames = [nameof(SeriesRow.Driver)];
        var model = ml.Forecasting.ForecastByRecurrent(options).Fit(ml.Data.LoadFromEnumerable(rows[..800]));
        double rmse = model.Evaluate(ml.Data.LoadFromEnumerable(rows), 800).Overall.Rmse;
        // Without the driver the best forecast is the mean, with RMSE 2 (its standard deviation).
        Assert.IsLessThan(0.5, rmse, $"{strategy} RMSE {rmse:F3} with the driver known ahead");
        Assert.IsTrue(model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("Forecast").Last().All(float.IsNaN),
            "the last row's horizon has no known covariates in the data");
    }

    [TestMethod]
    public void TheEngineTakesNewObservationsWithoutRetrainingAndCheckpoints()
    {
        var ml = new MLContext(1);
        SeriesRow[] rows = Driven(300, 4);
        RecurrentForecasterOptions options = Options(6, 3, epochs: 3);
        options.KnownCovariateColumnNames = [nameof(SeriesRow.Driver)];
        options.PastCovariateColumnNames = [nameof(SeriesRow.Sensor)];
        IDataView train = ml.Data.LoadFromEnumerable(rows[..250]);
        var model = ml.Forecasting.ForecastByRecurrent(options).Fit(train);
        IReadOnlyList<ForecastWindow> expected = model.ForecastRollingOrigins(ml.Data.LoadFromEnumerable(rows), 250);
        RecurrentForecastingEngine engine = model.CreateForecastingEngine();
        float[][] Future(int origin) => [.. Enumerable.Range(origin, 3).Select(t => new[] { rows[t].Driver })];
        for (int o = 250; o < 260; o++)
        {
            RecurrentForecast forecast = engine.Forecast(Future(o));
            AreClose(expected[o - 250].Forecast, forecast.Forecast, $"origin {o}");
            AreClose(expected[o - 250].Upper!, forecast.UpperBound, $"origin {o}");
            engine.Observe(rows[o].Value, [rows[o].Sensor], [rows[o].Driver]);
        }
        byte[] file = ModelFiles.Bytes(ml, engine.CheckPoint(), train.Schema);
        var loaded = Load(ml, file);
        AreClose(expected[10].Forecast, loaded.CreateForecastingEngine().Forecast(Future(260)).Forecast, "the checkpoint continues at origin 260");
        AreClose(expected[10].Forecast, model.CreateForecastingEngine(ml.Data.LoadFromEnumerable(rows[..260])).Forecast(Future(260)).Forecast, "an engine started from a history");

        var missing = Assert.ThrowsExactly<ArgumentException>(() => engine.Forecast());
        StringAssert.Contains(missing.Message, "Driver");
        var noSensor = Assert.ThrowsExactly<ArgumentException>(() => engine.Observe(1f, null, [0f]));
        StringAssert.Contains(noSensor.Message, "Sensor");
        Assert.ThrowsExactly<ArgumentException>(() => engine.Observe(1f, [float.NaN], [0f]));
    }

    [TestMethod]
    public void ASavedForecasterLoadsWithTheSameForecasts()
    {
        var ml = new MLContext(1);
        SeriesRow[] rows = Seasonal(200, 12, 0.3, 5);
        RecurrentForecasterOptions options = Options(12, 4, epochs: 2);
        options.LogTransform = true;
        options.IntervalMethod = ForecastIntervalMethod.Quantile;
        options.SeasonLength = 12;
        options.EnsembleSize = 2;
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Forecasting.ForecastByRecurrent(options).Fit(data);
        var loaded = Load(ml, ModelFiles.Bytes(ml, model, data.Schema));
        Assert.HasCount(200, ModelFiles.Dump(model.Transform(data), "Forecast", "Lower", "Upper"));
        CollectionAssert.AreEqual(ModelFiles.Dump(model.Transform(data), "Forecast", "Lower", "Upper"), ModelFiles.Dump(loaded.Transform(data), "Forecast", "Lower", "Upper"));
        Assert.AreEqual(4, loaded.Horizon);
        Assert.HasCount(2, loaded.Forecaster.Networks, "both ensemble members are saved");
        Assert.AreEqual(0.9f, loaded.ConfidenceLevel);
    }

    [TestMethod]
    public void TheShortOverloadAndTheSchemaAgreeWithTheTransformedData()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(Seasonal(120, 12, 0.3, 6));
        var estimator = ml.Forecasting.ForecastByRecurrent("Next", "Value", windowSize: 12, horizon: 3, confidenceLevel: 0.8f, confidenceUpperBoundColumn: "High");
        SchemaShape promised = estimator.GetOutputSchema(MLNetInternals.ToShape(data.Schema));
        var model = estimator.Fit(data);
        DataViewSchema schema = model.Transform(data).Schema;
        string Describe(SchemaShape.Column c) => $"{c.Name}: {c.Kind} of {c.ItemType}";
        CollectionAssert.AreEqual(promised.Select(Describe).ToArray(), MLNetInternals.ToShape(schema).Select(Describe).ToArray(), "the estimator promises the transformed data's columns");
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), schema["Next"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), schema["High"].Type);
        Assert.AreEqual(0.8f, model.ConfidenceLevel);
        Assert.AreEqual(12, model.WindowSize);
        var wrongType = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(MLNetInternals.ToShape(ml.Data.LoadFromEnumerable(new[] { new { Value = 1.0 } }).Schema)));
        StringAssert.Contains(wrongType.Message, "'Value'");
    }

    [TestMethod]
    public void BadSeriesAndMissingCovariatesGiveClearErrors()
    {
        var ml = new MLContext(1);
        SeriesRow[] rows = Driven(40, 5);
        var shortSeries = Assert.ThrowsExactly<ArgumentException>(() => ml.Forecasting.ForecastByRecurrent(Options(30, 12)).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(shortSeries.Message, "has 40 rows");

        rows[17].Value = float.NaN;
        var nan = Assert.ThrowsExactly<InvalidDataException>(() => ml.Forecasting.ForecastByRecurrent(Options(4, 2)).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(nan.Message, "Row 17 of column 'Value' is NaN");

        rows[17].Value = 1;
        RecurrentForecasterOptions withDriver = Options(4, 2, epochs: 1);
        withDriver.KnownCovariateColumnNames = [nameof(SeriesRow.Driver)];
        var model = ml.Forecasting.ForecastByRecurrent(withDriver).Fit(ml.Data.LoadFromEnumerable(rows));
        IDataView noDriver = ml.Data.LoadFromEnumerable(rows.Select(r => new { r.Value }));
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(noDriver));
        StringAssert.Contains(missing.Message, "'Driver' is not in the input schema");

        var recursive = Assert.ThrowsExactly<ArgumentException>(() => ml.Forecasting.ForecastByRecurrent(new RecurrentForecasterOptions
        { Strategy = ForecastStrategy.Recursive, PastCovariateColumnNames = ["Sensor"] }));
        StringAssert.Contains(recursive.Message, "past-only covariates (Sensor)");
        Assert.ThrowsExactly<NotSupportedException>(() => model.GetRowToRowMapper(noDriver.Schema));
    }
}
