namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// The per-channel scaling a forecaster learns in <c>Fit</c>: optionally log(1 + y) for the value channel, then
/// standardization with each channel's mean and standard deviation over the training rows.
/// </summary>
internal sealed class ForecastScaling
{
    /// <summary>Creates the scaling from learned statistics.</summary>
    public ForecastScaling(bool logTransform, float[] means, float[] scales)
    {
        if (means.Length != scales.Length || means.Length == 0) throw new ArgumentException($"{means.Length} means for {scales.Length} scales.", nameof(scales));
        for (int c = 0; c < means.Length; c++)
            if (!float.IsFinite(means[c]) || !(scales[c] > 0 && float.IsFinite(scales[c])))
                throw new ArgumentOutOfRangeException(nameof(scales), $"Channel {c} has mean {means[c]} and scale {scales[c]}; the mean must be finite and the scale positive.");
        LogTransform = logTransform;
        Means = means;
        Scales = scales;
    }

    /// <summary>Whether the value channel is modelled as log(1 + y).</summary>
    public bool LogTransform { get; }

    /// <summary>[C] means of the (log-transformed) channels.</summary>
    public float[] Means { get; }

    /// <summary>[C] standard deviations (1 for a constant channel).</summary>
    public float[] Scales { get; }

    /// <summary>Learns the statistics of rows [0, <paramref name="rows"/>) of <paramref name="series"/>.</summary>
    /// <param name="series">The training series.</param>
    /// <param name="rows">Rows the statistics cover.</param>
    /// <param name="logTransform">Whether to take log(1 + y) of the value channel first.</param>
    /// <param name="names">Channel names, for errors.</param>
    public static ForecastScaling Fit(ForecastSeries series, int rows, bool logTransform, IReadOnlyList<string> names)
    {
        int channels = series.Channels.Length;
        float[] means = new float[channels], scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double mean = 0, m2 = 0;
            for (int t = 0; t < rows; t++)
            {
                double v = c == 0 && logTransform ? Log(series.Values[t], names[0], t) : series.Channels[c][t];
                double delta = v - mean;
                mean += delta / (t + 1);
                m2 += delta * (v - mean);
            }
            double std = Math.Sqrt(m2 / Math.Max(1, rows));
            means[c] = (float)mean;
            scales[c] = std > 1e-8 * Math.Max(1, Math.Abs(mean)) ? (float)std : 1f;
        }
        return new ForecastScaling(logTransform, means, scales);
    }

    /// <summary>The scaled channels of rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of <paramref name="channels"/>.</summary>
    public float[][] Scale(float[][] channels, int start, int count, IReadOnlyList<string> names)
    {
        var scaled = new float[channels.Length][];
        for (int c = 0; c < channels.Length; c++)
        {
            scaled[c] = new float[count];
            float[] source = channels[c];
            for (int t = 0; t < count; t++)
            {
                float v = source[start + t];
                scaled[c][t] = ((c == 0 && LogTransform ? Log(v, names[0], start + t) : v) - Means[c]) / Scales[c];
            }
        }
        return scaled;
    }

    /// <summary>A scaled value of channel 0 back in the series' units.</summary>
    public float Unscale(float scaled)
    {
        double v = (double)scaled * Scales[0] + Means[0];
        return (float)(LogTransform ? Math.Exp(Math.Min(v, 700)) - 1 : v);
    }

    private static float Log(float value, string column, int row) => value > -1
        ? (float)Math.Log(1 + (double)value)
        : throw new InvalidDataException($"Row {row} of column '{column}' is {value}; LogTransform models log(1 + y), which needs values above -1.");
}
