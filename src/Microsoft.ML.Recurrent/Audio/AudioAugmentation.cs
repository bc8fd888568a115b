namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// Training-time augmentations of speech: SpecAugment's time and frequency masks (Park et al. 2019) and tempo
/// perturbation (a time stretch of the frames, spectra unchanged) on a feature matrix, speed perturbation (Ko et al.
/// 2015) by resampling, a random spectral tilt (another microphone or room) and additive white noise at a signal-to-noise ratio.
/// Seeded by the caller's random source.
/// </summary>
public static class AudioAugmentation
{
    /// <summary>
    /// Sets <paramref name="timeMasks"/> runs of up to <paramref name="maxTimeWidth"/> frames and <paramref name="frequencyMasks"/>
    /// bands of up to <paramref name="maxFrequencyWidth"/> features of <paramref name="features"/> [T, F] to <paramref name="fill"/>
    /// (widths uniform in [0, max], starts uniform where they fit), in place.
    /// </summary>
    public static void SpecAugment(Span<float> features, int featureSize, int timeMasks, int maxTimeWidth, int frequencyMasks, int maxFrequencyWidth, Random random, float fill = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        ArgumentNullException.ThrowIfNull(random);
        if (features.Length % featureSize != 0) throw new ArgumentException($"features hold {features.Length} values, not whole frames of {featureSize}.", nameof(features));
        int frames = features.Length / featureSize;
        for (int m = 0; m < frequencyMasks; m++)
        {
            int width = random.Next(Math.Min(maxFrequencyWidth, featureSize) + 1), start = random.Next(featureSize - width + 1);
            for (int t = 0; t < frames; t++) features.Slice(t * featureSize + start, width).Fill(fill);
        }
        for (int m = 0; m < timeMasks && frames > 0; m++)
        {
            int width = random.Next(Math.Min(maxTimeWidth, frames) + 1), start = random.Next(frames - width + 1);
            features.Slice(start * featureSize, width * featureSize).Fill(fill);
        }
    }

    /// <summary>
    /// The frames of <paramref name="features"/> [T, F] spoken <paramref name="tempo"/> times faster: round(T / tempo) frames
    /// (at least one), frame j interpolated linearly at source position j (T - 1) / (T' - 1), so the first and last frames
    /// stay; what a frame holds (pitch, formants) is unchanged, unlike <see cref="SpeedPerturb"/>.
    /// </summary>
    public static float[] TimeStretch(ReadOnlySpan<float> features, int featureSize, double tempo)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        if (!(tempo is >= 0.5 and <= 2)) throw new ArgumentOutOfRangeException(nameof(tempo), tempo, "The tempo factor must be in [0.5, 2].");
        if (features.IsEmpty || features.Length % featureSize != 0) throw new ArgumentException($"features hold {features.Length} values, not one or more whole frames of {featureSize}.", nameof(features));
        int frames = features.Length / featureSize, stretched = Math.Max(1, (int)Math.Round(frames / tempo));
        var result = new float[stretched * featureSize];
        double step = stretched == 1 ? 0 : (frames - 1) / (double)(stretched - 1);
        for (int j = 0; j < stretched; j++)
        {
            double position = j * step;
            int t = Math.Min((int)position, frames - 1), next = Math.Min(t + 1, frames - 1);
            float w = (float)(position - t);
            ReadOnlySpan<float> a = features.Slice(t * featureSize, featureSize), b = features.Slice(next * featureSize, featureSize);
            Span<float> row = result.AsSpan(j * featureSize, featureSize);
            for (int f = 0; f < featureSize; f++) row[f] = a[f] + w * (b[f] - a[f]);
        }
        return result;
    }

    /// <summary>
    /// The samples played <paramref name="factor"/> times faster (fewer samples above 1, pitch shifted with it), by
    /// resampling at rate ratio 1 : factor in hundredths (so 0.9 and 1.1 are exact).
    /// </summary>
    public static float[] SpeedPerturb(ReadOnlySpan<float> samples, double factor)
    {
        if (!(factor is >= 0.5 and <= 2)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The speed factor must be in [0.5, 2].");
        int hundredths = (int)Math.Round(factor * 100);
        return Resampler.Resample(samples, hundredths, 100);
    }

    /// <summary>
    /// Tilts the spectrum of <paramref name="samples"/> in place with the first-order filter y[n] = x[n] - a x[n-1] (a =
    /// <paramref name="coefficient"/> in (-1, 1): above 0 lifts the high frequencies against the low ones, as pre-emphasis
    /// does, below 0 dulls them; |H| runs from 1 - a at 0 Hz to 1 + a at the Nyquist frequency), then rescales the result
    /// to the input's power, so only the balance of the frequencies changes.
    /// </summary>
    public static void Tilt(Span<float> samples, double coefficient)
    {
        if (!(coefficient is > -1 and < 1)) throw new ArgumentOutOfRangeException(nameof(coefficient), coefficient, "The tilt coefficient must be in (-1, 1).");
        double before = 0, after = 0;
        float previous = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            float x = samples[i];
            before += (double)x * x;
            samples[i] = (float)(x - coefficient * previous);
            after += (double)samples[i] * samples[i];
            previous = x;
        }
        if (after == 0) return;
        float scale = (float)Math.Sqrt(before / after);
        for (int i = 0; i < samples.Length; i++) samples[i] *= scale;
    }

    /// <summary>
    /// Adds Gaussian white noise to <paramref name="samples"/> in place, <paramref name="snrDecibels"/> below the signal's mean
    /// power (10 dB: noise power a tenth of the signal's). Silence (zero power) is left as it is.
    /// </summary>
    public static void AddNoise(Span<float> samples, double snrDecibels, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!double.IsFinite(snrDecibels)) throw new ArgumentOutOfRangeException(nameof(snrDecibels), snrDecibels, "The signal-to-noise ratio must be a finite number of decibels.");
        double power = 0;
        foreach (float v in samples) power += (double)v * v;
        if (samples.IsEmpty || power == 0) return;
        double sigma = Math.Sqrt(power / samples.Length / Math.Pow(10, snrDecibels / 10));
        for (int i = 0; i < samples.Length; i++)
        {
            // Box-Muller: 1 - u keeps the logarithm's argument in (0, 1].
            double u = 1 - random.NextDouble(), w = random.NextDouble();
            samples[i] += (float)(sigma * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * w));
        }
    }
}
