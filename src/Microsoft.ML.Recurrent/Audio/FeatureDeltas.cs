namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// Feature post-processing: deltas as torchaudio's <c>compute_deltas</c> (window 5: d_t = sum_n n (x_{t+n} - x_{t-n}) / 10
/// over n = 1, 2, edges replicated) appended per frame, and mean/variance normalization per feature.
/// </summary>
public static class FeatureDeltas
{
    /// <summary>[T, F * (1 + order)]: each frame's features followed by its deltas (order 1) and delta-deltas (order 2).</summary>
    public static float[] Append(float[] features, int featureSize, int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        if (order is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(order), order, "The delta order must be 0, 1 or 2.");
        if (features.Length % featureSize != 0) throw new ArgumentException($"features hold {features.Length} values, not whole frames of {featureSize}.", nameof(features));
        if (order == 0) return features;
        int frames = features.Length / featureSize, width = featureSize * (1 + order);
        float[] delta = Deltas(features, frames, featureSize), output = new float[frames * width];
        float[]? second = order == 2 ? Deltas(delta, frames, featureSize) : null;
        for (int t = 0; t < frames; t++)
        {
            features.AsSpan(t * featureSize, featureSize).CopyTo(output.AsSpan(t * width, featureSize));
            delta.AsSpan(t * featureSize, featureSize).CopyTo(output.AsSpan(t * width + featureSize, featureSize));
            second?.AsSpan(t * featureSize, featureSize).CopyTo(output.AsSpan(t * width + 2 * featureSize, featureSize));
        }
        return output;
    }

    /// <summary>x[t, f] = (x[t, f] - mean[f]) / sqrt(variance[f] + 1e-10) in place; with null statistics, the utterance's own.</summary>
    public static void Normalize(Span<float> features, int featureSize, ReadOnlySpan<double> mean = default, ReadOnlySpan<double> variance = default)
    {
        int frames = features.Length / featureSize;
        if (frames == 0) return;
        double[] m = mean.IsEmpty ? new double[featureSize] : mean.ToArray(), v = variance.IsEmpty ? new double[featureSize] : variance.ToArray();
        if (mean.IsEmpty)
        {
            var (utteranceMean, utteranceVariance) = Statistics([features.ToArray()], featureSize);
            (m, v) = (utteranceMean, utteranceVariance);
        }
        for (int t = 0; t < frames; t++)
            for (int f = 0; f < featureSize; f++)
                features[t * featureSize + f] = (float)((features[t * featureSize + f] - m[f]) / Math.Sqrt(v[f] + 1e-10));
    }

    /// <summary>Per-feature mean and (biased) variance over every frame of <paramref name="utterances"/>, in float64.</summary>
    public static (double[] Mean, double[] Variance) Statistics(IEnumerable<float[]> utterances, int featureSize)
    {
        double[] sum = new double[featureSize], squares = new double[featureSize];
        long frames = 0;
        foreach (float[] u in utterances)
            for (int t = 0; t < u.Length / featureSize; t++, frames++)
                for (int f = 0; f < featureSize; f++) { double x = u[t * featureSize + f]; sum[f] += x; squares[f] += x * x; }
        if (frames == 0) throw new InvalidOperationException("There are no frames to take statistics over.");
        double[] mean = [.. sum.Select(s => s / frames)];
        double[] variance = [.. squares.Select((q, f) => Math.Max(0, q / frames - mean[f] * mean[f]))];
        return (mean, variance);
    }

    private static float[] Deltas(float[] x, int frames, int featureSize)
    {
        float[] d = new float[x.Length];
        for (int t = 0; t < frames; t++)
            for (int f = 0; f < featureSize; f++)
            {
                double sum = 0;
                for (int n = 1; n <= 2; n++)
                    sum += n * (x[Math.Min(t + n, frames - 1) * featureSize + f] - x[Math.Max(t - n, 0) * featureSize + f]);
                d[t * featureSize + f] = (float)(sum / 10);
            }
        return d;
    }
}
