// Forecasting: a recurrent forecaster predicts the next H values of a series (with covariates and prediction
// intervals) and is compared, on the same rolling test origins, with seasonal naive and FastTree on lag features;
// then it learns a damped driven pendulum and is rolled out on a new trajectory.
// Usage: dotnet run -c Release --project src/Samples/Forecasting [-- --train FILE.csv [--column NAME] [--covariates a,b]
//        [--past-covariates a,b] [--horizon 12] [--season 12] [--window N] [--transform log|none] [--test-size N]
//        [--origin-step 1] [--confidence 0.9] [--hidden N] [--dropout P] [--ensemble 5] [--pendulum on|off] --model PATH --metrics PATH --predictions PATH --plots DIR --epochs N --seed N]
// Without --train it runs on a generated monthly series. The last --test-size rows (default: 20%) are the test
// period: a forecast from every --origin-step-th origin in it, each from the actual history before it.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.Forecasting;

const string usage = "Flags: --train FILE.csv --column NAME --covariates a,b --past-covariates a,b --horizon N --season N --window N --transform log|none "
    + "--test-size N --origin-step N --confidence C --hidden N --dropout P --ensemble N --pendulum on|off --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N";
SampleArguments a = SampleArguments.Parse(args, usage, "--column", "--covariates", "--past-covariates", "--horizon", "--season", "--window",
    "--transform", "--test-size", "--origin-step", "--confidence", "--pendulum", "--hidden", "--dropout", "--ensemble");
string[] List(string flag) => a.Get(flag) is string v ? [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [];
int horizon = a.Int("--horizon", 12), season = a.Int("--season", 12), step = a.Int("--origin-step", 1);
int window = a.Int("--window", Math.Max(2 * season, horizon));
float confidence = float.Parse(a.Get("--confidence") ?? "0.9", CultureInfo.InvariantCulture);
var ml = new MLContext(a.Seed);
TrainerLog.Attach(ml, nameof(RecurrentForecaster));

SeriesData series = a.Train.Count > 0
    ? SeriesData.FromCsv(ml, SampleArguments.Files(a.Train, ".csv").Single(), a.Get("--column"), List("--covariates"), List("--past-covariates"))
    : SeriesData.Generate(ml, 144, season, a.Seed);
bool log = (a.Get("--transform") ?? (a.Train.Count > 0 ? "none" : "log")) == "log";
int testStart = series.Length - a.Int("--test-size", (int)Math.Round(series.Length * 0.2));
if (testStart - window - horizon < 20 || testStart + horizon > series.Length)
    throw new ArgumentException($"The series has {series.Length} rows: the test period from row {testStart} needs {window + horizon + 20} rows before it (window {window}, horizon {horizon}) and {horizon} in it.");
int[] origins = [.. Enumerable.Range(0, (series.Length - horizon - testStart) / step + 1).Select(k => testStart + k * step)];
Console.WriteLine($"Series '{series.Value}' of {series.Length} rows: training on the first {testStart}, forecasting {horizon} ahead from {origins.Length} test origins; "
    + $"window {window}, season {season}{(log ? ", log(1 + y)" : "")}, origin step {step}"
    + (series.Known.Length > 0 ? $", known covariates {string.Join(", ", series.Known)}" : "") + (series.Past.Length > 0 ? $", past covariates {string.Join(", ", series.Past)}" : "") + ".");

// Short series (fewer than 1,000 training rows) take a smaller network with dropout and smaller batches (more steps
// per epoch): chosen on the development periods (the test periods cut off; see the README).
bool small = testStart < 1000;
var settings = new ForecastModel.Settings(window, horizon, series.Known, series.Past, log, confidence, a.Epochs(150), a.Int("--hidden", small ? 32 : 64),
    small ? 8 : 32, float.Parse(a.Get("--dropout") ?? (small ? "0.3" : "0"), CultureInfo.InvariantCulture), Math.Min(season, window), a.Int("--ensemble", 5));
IDataView train = ml.Data.TakeRows(series.Data, testStart);
var clock = Stopwatch.StartNew();
RecurrentForecastingTransformer model = TrainingDisplay.Run($"GRU forecaster, window {window}, horizon {horizon}",
    progress => ForecastModel.Pipeline(ml, series.Value, settings, progress).Fit(train), "windows");
double trainSeconds = clock.Elapsed.TotalSeconds;
TrainingPlots.Curves(a.Plots, "Forecasting: recurrent forecaster", model.TrainingHistory);
model = ModelFile.SaveAndLoad(ml, model, train.Schema, a.Model);
a.ExportOnnx(ml, model);

float[] trainValues = series.Values[..testStart];
IReadOnlyList<ForecastWindow> recurrent = ForecastModel.RollingOrigins(model, series.Data, testStart, step);
ForecastWindow[] naive = Baselines.SeasonalNaive(series.Values, origins, horizon, season);
clock.Restart();
ForecastWindow[] trees = Baselines.LagTrees(ml, series, testStart, origins, window, horizon, season, log);
double treeSeconds = clock.Elapsed.TotalSeconds;
ForecastMetrics ours = ForecastEvaluator.Evaluate(recurrent, trainValues, season);
ForecastMetrics naiveMetrics = ForecastEvaluator.Evaluate(naive, trainValues, season), treeMetrics = ForecastEvaluator.Evaluate(trees, trainValues, season);

Console.WriteLine();
Console.WriteLine($"Test: {origins.Length} origins x {horizon} steps ({ours.Overall.Count} forecasts); MASE scaled by the seasonal naive error on the training rows.");
Console.WriteLine($"{"model",-34} {"MAE",10} {"RMSE",10} {"sMAPE",8} {"MASE",7} {"coverage",9}");
void Line(string name, ForecastErrors e) => Console.WriteLine($"{name,-34} {e.Mae,10:G5} {e.Rmse,10:G5} {100 * e.Smape,7:F2}% {e.Mase,7:F3} {(double.IsNaN(e.Coverage) ? "-" : $"{100 * e.Coverage:F1}%"),9}");
Line($"Recurrent ({settings.Ensemble} x GRU {settings.Hidden}, {trainSeconds:F0} s)", ours.Overall);
Line($"Seasonal naive (y[t-{season}])", naiveMetrics.Overall);
Line($"FastTree on lag features ({treeSeconds:F0} s)", treeMetrics.Overall);
Console.WriteLine();
Console.WriteLine($"Recurrent forecaster per horizon step ({100 * confidence:F0}% intervals):");
Console.WriteLine(ours);

int example = origins.Length - 1;
Console.WriteLine($"Example: the forecast from the last test origin (row {origins[example]}):");
Console.WriteLine($"{"row",6} {"actual",10} {"forecast",10} {"interval",24} {"FastTree",10} {"naive",10}");
for (int h = 0; h < horizon; h++)
    Console.WriteLine($"{origins[example] + h,6} {recurrent[example].Actual[h],10:G5} {recurrent[example].Forecast[h],10:G5} {$"[{recurrent[example].Lower![h]:G5}, {recurrent[example].Upper![h]:G5}]",24} {trees[example].Forecast[h],10:G5} {naive[example].Forecast[h],10:G5}");
if (series.Known.Length == 0)
    Console.WriteLine($"Beyond the data (forecasting engine from the last {window} rows): {string.Join(", ", ForecastModel.Next(model, series.Data).Forecast.Select(v => v.ToString("G5", CultureInfo.InvariantCulture)))}");

if (a.Plots is string plots)
    ForecastPlots.Forecasts(plots, $"{series.Value}: {horizon}-step forecasts from origins {horizon} apart", series.Values, testStart, origins, recurrent, trees, horizon);
a.WritePredictions(recurrent.SelectMany((w, i) => Enumerable.Range(0, horizon).Select(h => string.Join('\t',
    origins[i], h + 1, w.Actual[h].ToString("R", CultureInfo.InvariantCulture), w.Forecast[h].ToString("R", CultureInfo.InvariantCulture),
    w.Lower![h].ToString("R", CultureInfo.InvariantCulture), w.Upper![h].ToString("R", CultureInfo.InvariantCulture)))));

var metrics = new Dictionary<string, object>
{
    ["rmse"] = ours.Overall.Rmse, ["mae"] = ours.Overall.Mae, ["smape"] = ours.Overall.Smape, ["mase"] = ours.Overall.Mase,
    ["interval_coverage"] = ours.Overall.Coverage, ["confidence"] = confidence,
    ["seasonal_naive_rmse"] = naiveMetrics.Overall.Rmse, ["lag_trees_rmse"] = treeMetrics.Overall.Rmse,
    ["rmse_per_step"] = ours.PerStep.Select(e => e.Rmse).ToArray(), ["test_origins"] = origins.Length, ["horizon"] = horizon,
    ["train_rows"] = testStart, ["epochs"] = model.TrainingHistory.Count, ["train_seconds"] = trainSeconds,
};
if (a.Get("--pendulum") != "off") PendulumRun.Run(ml, a, metrics);
a.WriteMetrics(metrics);
return 0;
