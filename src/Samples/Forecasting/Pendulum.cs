namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>
/// The seeds' dynamic system: a damped, driven pendulum, theta'' = -damping theta' - sin(theta) + a(t) cos(frequency t),
/// integrated with RK4 and observed every <see cref="Step"/> seconds. The drive's amplitude a(t) changes every
/// <see cref="Segment"/> seconds (drawn from [0.1, 0.5], below the drives that flip it over), so a trajectory keeps passing through transients rather
/// than settling on one orbit. The forecaster learns the angle from one trajectory, with a(t) cos and a(t) sin of
/// the drive as known covariates (the drive is the experimenter's, known ahead), and is rolled out on another
/// trajectory from other initial conditions with its own drive schedule: its forecasts fed back as observations,
/// H values at a time.
/// </summary>
internal static class Pendulum
{
    public const double Step = 0.1, Damping = 0.3, Frequency = 0.5, Segment = 20;

    /// <summary>One observation: the angle and the drive's phase (known ahead: the drive is a clock).</summary>
    public sealed class Row
    {
        public float Angle { get; set; }

        public float DriveCos { get; set; }

        public float DriveSin { get; set; }
    }

    /// <summary>A trajectory of <paramref name="length"/> observations from angle <paramref name="theta"/> and angular velocity <paramref name="omega"/>, its drive schedule drawn from <paramref name="seed"/>.</summary>
    public static Row[] Simulate(int length, double theta, double omega, int seed)
    {
        var random = new Random(seed);
        var rows = new Row[length];
        const int substeps = 10;
        double dt = Step / substeps, t = 0, drive = 0.3;
        for (int i = 0; i < length; i++)
        {
            if (i > 0 && i % (int)(Segment / Step) == 0) drive = 0.1 + 0.4 * random.NextDouble();
            rows[i] = new Row { Angle = (float)theta, DriveCos = (float)(drive * Math.Cos(Frequency * t)), DriveSin = (float)(drive * Math.Sin(Frequency * t)) };
            for (int s = 0; s < substeps; s++)
            {
                double Acceleration(double time, double angle, double velocity) => -Damping * velocity - Math.Sin(angle) + drive * Math.Cos(Frequency * time);
                (double k1t, double k1w) = (omega, Acceleration(t, theta, omega));
                (double k2t, double k2w) = (omega + dt / 2 * k1w, Acceleration(t + dt / 2, theta + dt / 2 * k1t, omega + dt / 2 * k1w));
                (double k3t, double k3w) = (omega + dt / 2 * k2w, Acceleration(t + dt / 2, theta + dt / 2 * k2t, omega + dt / 2 * k2w));
                (double k4t, double k4w) = (omega + dt * k3w, Acceleration(t + dt, theta + dt * k3t, omega + dt * k3w));
                theta += dt / 6 * (k1t + 2 * k2t + 2 * k3t + k4t);
                omega += dt / 6 * (k1w + 2 * k2w + 2 * k3w + k4w);
                t += dt;
            }
        }
        return rows;
    }

    /// <summary>
    /// Rolls the model out over <paramref name="truth"/>: starts from its first W observations, then forecasts H
    /// values, takes them in as observations, and repeats until <paramref name="steps"/> values are forecast.
    /// </summary>
    public static float[] RollOut(RecurrentForecastingTransformer model, MLContext ml, Row[] truth, int steps)
    {
        int w = model.WindowSize, h = model.Horizon;
        RecurrentForecastingEngine engine = model.CreateForecastingEngine(ml.Data.LoadFromEnumerable(truth[..w]));
        var rolled = new List<float>(steps);
        while (rolled.Count < steps)
        {
            int at = w + rolled.Count;
            float[][] future = [.. Enumerable.Range(at, h).Select(t => new[] { truth[t].DriveCos, truth[t].DriveSin })];
            float[] forecast = engine.Forecast(future).Forecast;
            for (int k = 0; k < h; k++) engine.Observe(forecast[k], null, future[k]);
            rolled.AddRange(forecast);
        }
        return [.. rolled.Take(steps)];
    }
}
