using System.Text;

namespace Microsoft.ML.Recurrent;

/// <summary>Error measures of one horizon step (or of all steps together).</summary>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Smape">Symmetric MAPE in [0, 2]: mean of 2|f - a| / (|a| + |f|) (pairs with both 0 count 0).</param>
/// <param name="Mase">MAE divided by the in-sample MAE of the seasonal naive forecast on the training series.</param>
/// <param name="Coverage">Share of actual values inside [lower, upper], or NaN without intervals.</param>
/// <param name="Count">Forecast values scored.</param>
public sealed record ForecastErrors(double Mae, double Rmse, double Smape, double Mase, double Coverage, long Count);

/// <summary>Forecast accuracy over several forecast origins (rolling-origin evaluation): per horizon step and overall.</summary>
/// <param name="PerStep">Errors of each horizon step h = 1..H.</param>
/// <param name="Overall">Errors over every step of every origin.</param>
/// <param name="Origins">Forecast origins scored.</param>
public sealed record ForecastMetrics(IReadOnlyList<ForecastErrors> PerStep, ForecastErrors Overall, int Origins)
{
    /// <summary>A printable table: one line per horizon step and the overall line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Origins} forecast origins, horizon {PerStep.Count}");
        text.AppendLine($"{"step",6} {"MAE",10} {"RMSE",10} {"sMAPE",8} {"MASE",8} {"coverage",9}");
        for (int h = 0; h < PerStep.Count; h++) text.AppendLine(Line((h + 1).ToString(), PerStep[h]));
        text.Append(Line("all", Overall));
        return text.ToString();
    }

    private static string Line(string step, ForecastErrors e) =>
        $"{step,6} {e.Mae,10:G5} {e.Rmse,10:G5} {100 * e.Smape,7:F2}% {e.Mase,8:F3} {(double.IsNaN(e.Coverage) ? "-" : $"{100 * e.Coverage:F1}%"),9}";
}

/// <summary>One forecast origin: the H actual values after it, the forecasts of them, and optionally their interval bounds.</summary>
/// <param name="Actual">[H] what happened.</param>
/// <param name="Forecast">[H] what was forecast.</param>
/// <param name="Lower">[H] lower bounds, or null.</param>
/// <param name="Upper">[H] upper bounds, or null.</param>
public sealed record ForecastWindow(float[] Actual, float[] Forecast, float[]? Lower = null, float[]? Upper = null);

/// <summary>Scores multi-horizon forecasts from several origins: MAE, RMSE, sMAPE, MASE and interval coverage, per step and overall.</summary>
public static class ForecastEvaluator
{
    /// <summary>Scores <paramref name="windows"/>; MASE is scaled by the seasonal naive MAE (lag <paramref name="season"/>) of <paramref name="trainingSeries"/>.</summary>
    public static ForecastMetrics Evaluate(IEnumerable<ForecastWindow> windows, IReadOnlyList<float> trainingSeries, int season = 1)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(trainingSeries);
        ArgumentOutOfRangeException.ThrowIfLessThan(season, 1);
        if (trainingSeries.Count <= season) throw new ArgumentException($"The training series has {trainingSeries.Count} values; MASE with season {season} needs more than {season}.", nameof(trainingSeries));
        double scale = Enumerable.Range(season, trainingSeries.Count - season).Average(t => Math.Abs(trainingSeries[t] - trainingSeries[t - season]));
        List<ForecastWindow> all = [.. windows];
        if (all.Count == 0) throw new ArgumentException("There are no forecast origins to evaluate.", nameof(windows));
        int horizon = all[0].Actual.Length;
        for (int o = 0; o < all.Count; o++)
        {
            ForecastWindow w = all[o];
            if (w.Actual.Length != horizon || w.Forecast.Length != horizon || (w.Lower is not null && w.Lower.Length != horizon) || (w.Upper is not null && w.Upper.Length != horizon))
                throw new ArgumentException($"Origin {o} has {w.Actual.Length} actual and {w.Forecast.Length} forecast values; every origin needs {horizon} of each (and of its bounds).", nameof(windows));
            if ((w.Lower is null) != (w.Upper is null)) throw new ArgumentException($"Origin {o} has one interval bound without the other.", nameof(windows));
            for (int h = 0; h < horizon; h++)
                if (!float.IsFinite(w.Actual[h]) || !float.IsFinite(w.Forecast[h])) throw new ArgumentException($"Origin {o}, step {h + 1} is not finite (actual {w.Actual[h]}, forecast {w.Forecast[h]}).", nameof(windows));
        }
        ForecastErrors Score(IEnumerable<(float Actual, float Forecast, float? Lower, float? Upper)> pairs)
        {
            double abs = 0, squares = 0, smape = 0;
            long count = 0, withInterval = 0, inside = 0;
            foreach ((float a, float f, float? lower, float? upper) in pairs)
            {
                double e = f - a;
                abs += Math.Abs(e);
                squares += e * e;
                double denominator = Math.Abs(a) + Math.Abs(f);
                smape += denominator == 0 ? 0 : 2 * Math.Abs(e) / denominator;
                count++;
                if (lower is float lo && upper is float hi) { withInterval++; if (a >= lo && a <= hi) inside++; }
            }
            double mae = abs / count;
            return new ForecastErrors(mae, Math.Sqrt(squares / count), smape / count, scale == 0 ? double.PositiveInfinity : mae / scale,
                withInterval == 0 ? double.NaN : (double)inside / withInterval, count);
        }
        IEnumerable<(float, float, float?, float?)> Step(int h) => all.Select(w => (w.Actual[h], w.Forecast[h], w.Lower?[h], w.Upper?[h]));
        ForecastErrors[] perStep = [.. Enumerable.Range(0, horizon).Select(h => Score(Step(h)))];
        return new ForecastMetrics(perStep, Score(Enumerable.Range(0, horizon).SelectMany(Step)), all.Count);
    }
}
