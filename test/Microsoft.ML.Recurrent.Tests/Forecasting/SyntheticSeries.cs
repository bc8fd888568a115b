namespace Microsoft.ML.Recurrent.Tests.Forecasting;

/// <summary>One observation of a synthetic series: the value and two covariates.</summary>
public sealed class SeriesRow
{
    public float Value { get; set; }

    /// <summary>A covariate known ahead.</summary>
    public float Driver { get; set; }

    /// <summary>A covariate observed only up to now.</summary>
    public float Sensor { get; set; }
}

/// <summary>Series with known structure for the forecaster's tests.</summary>
internal static class SyntheticSeries
{
    /// <summary>10 + 3 sin(2 pi t / period) + Gaussian noise of <paramref name="noise"/>.</summary>
    public static SeriesRow[] Seasonal(int length, int period, double noise, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(t => new SeriesRow
        {
            Value = (float)(10 + 3 * Math.Sin(2 * Math.PI * t / period) + noise * Gaussian(random)),
            Driver = (float)Math.Cos(2 * Math.PI * t / period),
        })];
    }

    /// <summary>y[t] = 5 + 2 x[t] + small noise, with x a random known covariate: only its future values tell the future.</summary>
    public static SeriesRow[] Driven(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ =>
        {
            float x = (float)Gaussian(random);
            return new SeriesRow { Driver = x, Value = (float)(5 + 2 * x + 0.05 * Gaussian(random)), Sensor = x };
        })];
    }

    public static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>RMSE of the seasonal naive forecast y[o + h - period] (taking the last observed season) over the windows from <paramref name="firstOrigin"/>.</summary>
    public static double SeasonalNaiveRmse(SeriesRow[] rows, int firstOrigin, int horizon, int period)
    {
        double squares = 0;
        int count = 0;
        for (int o = firstOrigin; o + horizon <= rows.Length; o++)
            for (int h = 0; h < horizon; h++)
            {
                double e = rows[o + h].Value - rows[o + h - period * (1 + h / period)].Value;
                squares += e * e;
                count++;
            }
        return Math.Sqrt(squares / count);
    }
}
