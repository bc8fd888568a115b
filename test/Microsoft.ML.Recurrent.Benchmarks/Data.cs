namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>Deterministic inputs shared by both sides.</summary>
internal static class Data
{
    public static float[] Uniform(int count, Random random) => [.. Enumerable.Range(0, count).Select(_ => random.NextSingle())];

    /// <summary>Labels in [1, classes) (0 is the blank).</summary>
    public static int[][] Targets(int batch, int length, int classes, Random random) =>
        [.. Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(1, classes)).ToArray())];

    /// <summary>B lengths uniform in [min, max], the first one max (so the padded length is max).</summary>
    public static int[] Lengths(int batch, int min, int max, int seed)
    {
        var random = new Random(seed);
        int[] lengths = [.. Enumerable.Range(0, batch).Select(_ => random.Next(min, max + 1))];
        lengths[0] = max;
        return lengths;
    }
}
