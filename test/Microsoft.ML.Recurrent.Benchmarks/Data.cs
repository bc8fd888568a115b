namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>Deterministic inputs shared by both sides.</summary>
internal static class Data
{
    public static float[] Uniform(int count, Random random) => [.. Enumerable.Range(0, count).Select(_ => random.NextSingle())];

    /// <summary>Labels in [1, classes) (0 is the blank).</summary>
    public static int[][] Targets(int batch, int length, int classes, Random random) =>
        [.. Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(1, classes)).ToArray())];

    /// <summary>Utterances of <paramref name="samples"/> samples in [-1, 1]: three tones of random pitch and level plus white noise.</summary>
    public static float[][] Audio(int utterances, int samples, Random random) => [.. Enumerable.Range(0, utterances).Select(_ =>
    {
        double[] hz = [.. Enumerable.Range(0, 3).Select(_ => 0.002 + 0.1 * random.NextDouble())], level = [.. hz.Select(_ => 0.25 * random.NextDouble())];
        return Enumerable.Range(0, samples).Select(i => (float)(hz.Select((f, k) => level[k] * Math.Sin(2 * Math.PI * f * i)).Sum() + 0.05 * (random.NextDouble() - 0.5))).ToArray();
    })];

    /// <summary>B lengths uniform in [min, max], the first one max (so the padded length is max).</summary>
    public static int[] Lengths(int batch, int min, int max, int seed)
    {
        var random = new Random(seed);
        int[] lengths = [.. Enumerable.Range(0, batch).Select(_ => random.Next(min, max + 1))];
        lengths[0] = max;
        return lengths;
    }

    /// <summary>
    /// A tagging batch: B sentences of T words (ids in [1, vocabulary)), each word 2..10 characters (ids in
    /// [1, characters)) and one gold tag in [0, tags) per word, in sentence-major order (sentence b's word t at b * T + t).
    /// </summary>
    public static (int[] Words, int[][] Characters, int[] Tags) Sentences(int batch, int length, int vocabulary, int characters, int tags, int seed)
    {
        var random = new Random(seed);
        int n = batch * length;
        int[] words = [.. Enumerable.Range(0, n).Select(_ => random.Next(1, vocabulary))];
        int[][] chars = [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, random.Next(2, 11)).Select(_ => random.Next(1, characters)).ToArray())];
        int[] gold = [.. Enumerable.Range(0, n).Select(_ => random.Next(tags))];
        return (words, chars, gold);
    }
}
