using System.Diagnostics;

namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>The pendulum part of the run: train on one trajectory, roll out on another, report and plot.</summary>
internal static class PendulumRun
{
    public static void Run(MLContext ml, SampleArguments a, Dictionary<string, object> metrics)
    {
        const int window = 40, horizon = 20, rollout = 300;
        Pendulum.Row[] training = Pendulum.Simulate(8000, 1.0, 0.0, seed: 1), test = Pendulum.Simulate(window + rollout + horizon, -0.5, 1.2, seed: 2);
        Console.WriteLine();
        Console.WriteLine($"Damped driven pendulum (theta'' = -{Pendulum.Damping} theta' - sin theta + a(t) cos({Pendulum.Frequency} t), a(t) redrawn every {Pendulum.Segment} s), observed every {Pendulum.Step} s: "
            + $"training on one trajectory of {training.Length} observations, rolling out {rollout} steps of a new one (other start, other drive schedule) from its first {window}.");
        var settings = new ForecastModel.Settings(window, horizon, [nameof(Pendulum.Row.DriveCos), nameof(Pendulum.Row.DriveSin)], [], false, 0.9f, a.Epochs(40), 32, 32, 0f, 0, 1);
        var clock = Stopwatch.StartNew();
        RecurrentForecastingTransformer model = TrainingDisplay.Run("GRU on the pendulum",
            progress => ForecastModel.Pipeline(ml, nameof(Pendulum.Row.Angle), settings, progress).Fit(ml.Data.LoadFromEnumerable(training)), "windows");
        double seconds = clock.Elapsed.TotalSeconds;
        float[] truth = [.. test.Select(r => r.Angle)];
        float[] rolled = Pendulum.RollOut(model, ml, test, rollout);
        double Rmse(int from, int to) => Math.Sqrt(Enumerable.Range(from, to - from).Average(t => Math.Pow(rolled[t] - truth[window + t], 2)));
        double spread = Math.Sqrt(truth.Select(v => (double)v).Average(v => v * v) - Math.Pow(truth.Average(v => (double)v), 2));
        Console.WriteLine($"Rollout RMSE (radians): first {horizon} steps {Rmse(0, horizon):F4}, first 100 {Rmse(0, 100):F4}, all {rollout} {Rmse(0, rollout):F4} "
            + $"(the angle's standard deviation is {spread:F3}); trained in {seconds:F0} s.");
        metrics["pendulum_rollout_rmse"] = Rmse(0, rollout);
        metrics["pendulum_rollout_rmse_100"] = Rmse(0, 100);
        if (a.Plots is string plots) ForecastPlots.Pendulum(plots, truth, rolled, window);
    }
}
