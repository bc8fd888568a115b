using ScottPlot;

namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>The sample's pictures: forecasts with their intervals against the truth, and the pendulum's rollout.</summary>
internal static class ForecastPlots
{
    /// <summary>
    /// forecast.png: the end of the training series, the test period, and the recurrent forecasts (with their
    /// intervals) from non-overlapping origins H apart, beside the lag-tree forecasts from the same origins.
    /// </summary>
    public static void Forecasts(string folder, string title, float[] values, int testStart, IReadOnlyList<int> origins,
        IReadOnlyList<ForecastWindow> recurrent, IReadOnlyList<ForecastWindow> trees, int horizon)
    {
        var plot = new Plot();
        int from = Math.Max(0, testStart - 3 * horizon);
        plot.Add.Scatter(Xs(from, values.Length - from), [.. values[from..].Select(v => (double)v)]).LegendText = "actual";
        for (int i = 0; i < origins.Count; i += horizon)
        {
            double[] xs = Xs(origins[i], horizon);
            ForecastWindow w = recurrent[i];
            var band = plot.Add.FillY(xs, [.. w.Lower!.Select(v => (double)v)], [.. w.Upper!.Select(v => (double)v)]);
            band.FillStyle.Color = Colors.Orange.WithAlpha(0.25);
            band.LineStyle.Width = 0;
            var line = plot.Add.Scatter(xs, [.. w.Forecast.Select(v => (double)v)]);
            line.Color = Colors.OrangeRed;
            var tree = plot.Add.Scatter(xs, [.. trees[i].Forecast.Select(v => (double)v)]);
            tree.Color = Colors.SeaGreen;
            tree.LinePattern = LinePattern.Dashed;
            if (i == 0)
            {
                band.LegendText = "recurrent interval";
                line.LegendText = "recurrent forecast";
                tree.LegendText = "FastTree on lags";
            }
        }
        plot.Add.VerticalLine(testStart - 0.5, 1, Colors.Gray);
        plot.Title(title);
        plot.XLabel("row");
        plot.ShowLegend();
        TrainingPlots.Save(plot, folder, "forecast.png", 1100, 500);
    }

    /// <summary>pendulum.png: the true angle and the model's rollout from the same start.</summary>
    public static void Pendulum(string folder, float[] truth, float[] rolled, int start)
    {
        var plot = new Plot();
        double[] seconds = [.. Enumerable.Range(0, truth.Length).Select(t => t * Forecasting.Pendulum.Step)];
        plot.Add.Scatter(seconds, [.. truth.Select(v => (double)v)]).LegendText = "true angle";
        var rollout = plot.Add.Scatter(seconds[start..(start + rolled.Length)], [.. rolled.Select(v => (double)v)]);
        rollout.LegendText = "forecaster rolled out (its own forecasts fed back)";
        rollout.LinePattern = LinePattern.Dashed;
        plot.Add.VerticalLine(seconds[start], 1, Colors.Gray);
        plot.Title("Damped driven pendulum: rollout from the first window");
        plot.XLabel("time (s)");
        plot.YLabel("angle (rad)");
        plot.ShowLegend();
        TrainingPlots.Save(plot, folder, "pendulum.png", 1100, 450);
    }

    private static double[] Xs(int start, int count) => [.. Enumerable.Range(start, count).Select(t => (double)t)];
}
