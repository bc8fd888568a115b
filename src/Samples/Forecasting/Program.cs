// Forecasting: a GRU predicts the next value of a series from the previous 24, next to a seasonal-naive baseline.
// Usage: dotnet run -c Release --project src/Samples/Forecasting [-- --train FILE.csv [--column NAME] [--season 12]
//        [--test-size N] --model PATH --metrics PATH --predictions PATH --epochs N --seed N]
// --train takes a CSV with a header (airline-passengers.csv, bike-sharing-day.csv; default column: the last);
// the last --test-size values (default 20%) are the test period, forecast one step ahead from actual history.
// With --test FILE.csv the test period is that file's values, continuing the training series.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.Forecasting;

const string usage = "Flags: --train FILE.csv --test FILE.csv --column NAME --season N --test-size N --model PATH --metrics PATH --predictions PATH --plots DIR --epochs N --seed N";
SampleArguments arguments = SampleArguments.Parse(args, usage, "--column", "--season", "--test-size");
int season = arguments.Int("--season", 12), epochs = arguments.Epochs(300);
string? column = arguments.Get("--column");

double[] history = arguments.Train.Count > 0
    ? [.. SampleArguments.Files(arguments.Train, ".csv").SelectMany(f => SeriesData.LoadCsv(f, column))]
    : SeriesData.Generate(144, season, arguments.Seed);
double[] series;
int testStart;
if (arguments.Test.Count > 0)
{
    series = [.. history, .. SampleArguments.Files(arguments.Test, ".csv").SelectMany(f => SeriesData.LoadCsv(f, column))];
    testStart = history.Length;
}
else
{
    series = history;
    testStart = series.Length - arguments.Int("--test-size", (int)Math.Round(series.Length * 0.2));
}
if (testStart - ModelInput.Window < 20 || testStart <= season || testStart >= series.Length)
    throw new ArgumentException($"The series has {series.Length} values; it needs at least {ModelInput.Window + 20} before the test period and some after it.");
Console.WriteLine($"Series of {series.Length} values: training on the first {testStart} ({testStart - ModelInput.Window} windows), testing on the last {series.Length - testStart}; season {season}, seed {arguments.Seed}.");

var ml = new MLContext(arguments.Seed);
TrainerLog.Attach(ml, "RecurrentSequenceTrainer");
IDataView train = ml.Data.LoadFromEnumerable(Enumerable.Range(ModelInput.Window, testStart - ModelInput.Window).Select(t => SeriesData.At(series, t)));
// Hundreds of short epochs: the display shows them live; redirected output gets one line every 25 epochs.
ITransformer model = TrainingDisplay.Run("GRU, window 24", progress => ForecastModel.Pipeline(ml, epochs,
    TrainingDisplay.Live ? progress : r => { if (r.IsEpochEnd && (r.Epoch % 25 == 0 || r.Epoch == 1)) progress(r); }).Fit(train));
TrainingPlots.Curves(arguments.Plots, "Forecasting: GRU on windows of 24", TrainingPlots.HistoryOf(model));

if (arguments.Model is not null)
{
    ForecastModel.Save(ml, model, train.Schema, arguments.Model);
    model = ForecastModel.Load(ml, arguments.Model);
    Console.WriteLine($"Saved the model to {arguments.Model} and forecast with the copy loaded from it.");
}
double[] actual = series[testStart..];
double[] forecast = ForecastModel.Forecast(ml, model, series, testStart);
double[] naive = [.. Enumerable.Range(testStart, actual.Length).Select(t => series[t - season])];
(double mae, double rmse) = Errors(forecast, actual);
(double naiveMae, double naiveRmse) = Errors(naive, actual);

Console.WriteLine();
Console.WriteLine($"{"model",-28} {"MAE",10} {"RMSE",10}");
Console.WriteLine($"{"Recurrent (GRU, window 24)",-28} {mae,10:F2} {rmse,10:F2}");
Console.WriteLine($"{"Seasonal naive (y[t-" + season + "])",-28} {naiveMae,10:F2} {naiveRmse,10:F2}");

if (arguments.Plots is string plots)
{
    var plot = new ScottPlot.Plot();
    double[] steps = [.. Enumerable.Range(testStart, actual.Length).Select(t => (double)t)];
    plot.Add.Scatter(Enumerable.Range(0, testStart).Select(t => (double)t).ToArray(), series[..testStart]).LegendText = "history";
    plot.Add.Scatter(steps, actual).LegendText = "actual";
    plot.Add.Scatter(steps, forecast).LegendText = "recurrent (one step ahead)";
    plot.Add.Scatter(steps, naive).LegendText = $"seasonal naive (t-{season})";
    plot.Title("Forecasts over the test period");
    plot.XLabel("t");
    plot.ShowLegend();
    TrainingPlots.Save(plot, plots, "forecast.png");
}
arguments.WritePredictions(forecast.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
arguments.WriteMetrics(new Dictionary<string, object>
{
    ["mae"] = mae, ["rmse"] = rmse, ["baseline_mae"] = naiveMae, ["baseline_rmse"] = naiveRmse,
    ["train_values"] = testStart, ["test_values"] = actual.Length, ["season"] = season,
});

static (double Mae, double Rmse) Errors(double[] predicted, double[] actual) =>
    (predicted.Zip(actual).Average(p => Math.Abs(p.First - p.Second)), Math.Sqrt(predicted.Zip(actual).Average(p => (p.First - p.Second) * (p.First - p.Second))));
