namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// Band-limited resampling between integer rates with a Hann-windowed sinc kernel (torchaudio's default
/// <c>sinc_interp_hann</c>, 6 zero crossings, roll-off 0.99): rates are reduced by their gcd, each output phase
/// has its own kernel, and the output holds ceil(length * new / original) samples.
/// </summary>
public static class Resampler
{
    /// <summary>The samples of <paramref name="input"/> at <paramref name="originalRate"/> Hz resampled to <paramref name="newRate"/> Hz.</summary>
    public static float[] Resample(ReadOnlySpan<float> input, int originalRate, int newRate, int zeroCrossings = 6, double rolloff = 0.99)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(originalRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(newRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(zeroCrossings, 1);
        if (!(rolloff is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(rolloff), rolloff, "The roll-off must be in (0, 1].");
        if (originalRate == newRate) return input.ToArray();
        int gcd = Gcd(originalRate, newRate), orig = originalRate / gcd, next = newRate / gcd;
        double baseFrequency = Math.Min(orig, next) * rolloff;
        int width = (int)Math.Ceiling(zeroCrossings * orig / baseFrequency);
        int taps = 2 * width + orig;
        // kernels[phase, k] for input offsets k - width relative to phase's block start.
        double[] kernels = new double[next * taps];
        for (int phase = 0; phase < next; phase++)
            for (int k = 0; k < taps; k++)
            {
                double t = (-(double)phase / next + (double)(k - width) / orig) * baseFrequency;
                t = Math.Clamp(t, -zeroCrossings, zeroCrossings);
                double window = Math.Pow(Math.Cos(t * Math.PI / zeroCrossings / 2), 2);
                double x = t * Math.PI;
                kernels[phase * taps + k] = (x == 0 ? 1.0 : Math.Sin(x) / x) * window * baseFrequency / orig;
            }
        int length = input.Length;
        int outputLength = (int)Math.Ceiling((double)length * next / orig);
        float[] output = new float[outputLength];
        for (int o = 0; o < outputLength; o++)
        {
            int block = o / next, phase = o % next, start = block * orig - width;
            double sum = 0;
            for (int k = 0; k < taps; k++)
            {
                int i = start + k;
                if (i >= 0 && i < length) sum += kernels[phase * taps + k] * input[i];
            }
            output[o] = (float)sum;
        }
        return output;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
