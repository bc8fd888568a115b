namespace Microsoft.ML.Recurrent.Engine.Memory;

/// <summary>
/// How much a Hopfield network holds, measured on random +-1 patterns: the recalled fraction against the load P/N
/// (patterns started from a share of flipped bits count as recalled when they settle within a tolerance of
/// themselves), and the capacity: the largest load at which at least half are recalled. Seeded, so repeatable.
/// </summary>
public static class HopfieldCapacity
{
    /// <summary>(load P/N, fraction recalled) of a classic network of <paramref name="neurons"/>, P stepping by about N/100 until fewer than half are recalled.</summary>
    public static IReadOnlyList<(double Load, double Recalled)> Curve(int neurons, HopfieldLearningRule rule, int seed, double noise = 0.05, double tolerance = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(neurons, 2);
        var random = new Random(seed);
        var curve = new List<(double, double)>();
        for (int p = 2; p <= neurons; p += Math.Max(1, neurons / 100))
        {
            var network = new HopfieldNetwork(neurons);
            float[][] patterns = [.. Enumerable.Range(0, p).Select(_ => RandomPattern(neurons, random))];
            foreach (float[] pattern in patterns) network.Store(pattern, rule);
            int recalled = 0;
            foreach (float[] pattern in patterns)
            {
                float[] state = Flip(pattern, noise, random);
                network.Recall(state, HopfieldUpdate.Asynchronous, 50, random);
                if (Errors(pattern, state) <= tolerance * neurons) recalled++;
            }
            curve.Add(((double)p / neurons, (double)recalled / p));
            if (2 * recalled < p) break;
        }
        return curve;
    }

    /// <summary>The largest load of <paramref name="curve"/> at which at least half the patterns were recalled (0 if none).</summary>
    public static double Capacity(IReadOnlyList<(double Load, double Recalled)> curve) =>
        curve.TakeWhile(point => point.Recalled >= 0.5).Select(point => point.Load).DefaultIfEmpty(0).Max();

    /// <summary>The fraction of <paramref name="patterns"/> random patterns a modern network of <paramref name="neurons"/> recalls (signs within the tolerance) from the noise.</summary>
    public static double ModernRecall(int neurons, int patterns, float beta, int seed, double noise = 0.05, double tolerance = 0.05)
    {
        var random = new Random(seed);
        float[][] stored = [.. Enumerable.Range(0, patterns).Select(_ => RandomPattern(neurons, random))];
        var network = new ModernHopfieldNetwork([.. stored.SelectMany(p => p)], neurons, beta);
        int recalled = 0;
        foreach (float[] pattern in stored)
        {
            float[] state = Flip(pattern, noise, random);
            network.Recall(state, 10);
            for (int i = 0; i < neurons; i++) state[i] = state[i] > 0 ? 1f : -1f;
            if (Errors(pattern, state) <= tolerance * neurons) recalled++;
        }
        return (double)recalled / patterns;
    }

    private static float[] RandomPattern(int n, Random random) => [.. Enumerable.Range(0, n).Select(_ => random.Next(2) == 0 ? -1f : 1f)];

    private static float[] Flip(float[] pattern, double fraction, Random random)
    {
        float[] copy = (float[])pattern.Clone();
        int[] order = [.. Enumerable.Range(0, copy.Length)];
        random.Shuffle(order);
        foreach (int i in order.Take((int)Math.Round(fraction * copy.Length))) copy[i] = -copy[i];
        return copy;
    }

    private static int Errors(float[] a, float[] b)
    {
        int errors = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) errors++;
        return errors;
    }
}
