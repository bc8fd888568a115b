using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Tests.Persistence;

namespace Microsoft.ML.Recurrent.Tests.Memory;

/// <summary>The Hopfield memory as an ML.NET estimator and transformer: it completes noisy patterns, reports what it did, saves and loads.</summary>
[TestClass]
public sealed class HopfieldMemoryTests
{
    private const int N = 100;

    private sealed class Row
    {
        [VectorType(N)]
        public float[] Features { get; set; } = [];
    }

    private static float[][] Patterns(int count, int seed, bool zeroOne)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, N).Select(_ => random.Next(2) == 0 ? (zeroOne ? 0f : -1f) : 1f).ToArray())];
    }

    private static float[] Noisy(float[] pattern, int flips, Random random, bool zeroOne)
    {
        float[] copy = (float[])pattern.Clone();
        foreach (int i in Enumerable.Range(0, N).OrderBy(_ => random.Next()).Take(flips)) copy[i] = copy[i] > 0 ? (zeroOne ? 0f : -1f) : 1f;
        return copy;
    }

    [TestMethod]
    [DataRow(HopfieldMemoryKind.Binary)]
    [DataRow(HopfieldMemoryKind.Modern)]
    public void NoisyPatternsAreCompletedToTheStoredOnes(HopfieldMemoryKind kind)
    {
        var ml = new MLContext(1);
        bool zeroOne = kind == HopfieldMemoryKind.Binary;   // 0/1 bitmaps read as -1/+1 by the binary memory
        float[][] stored = Patterns(6, 1, zeroOne);
        var memory = ml.Transforms.HopfieldMemory(new HopfieldMemoryOptions { Kind = kind, Beta = 0.5f, Seed = 3 })
            .Fit(ml.Data.LoadFromEnumerable(stored.Select(p => new Row { Features = p })));
        var random = new Random(2);
        IDataView queries = ml.Data.LoadFromEnumerable(stored.Select(p => new Row { Features = Noisy(p, 12, random, zeroOne) }));
        IDataView recalled = memory.Transform(queries);
        int[] matched = [.. recalled.GetColumn<int>("MatchedPattern")];
        CollectionAssert.AreEqual(Enumerable.Range(0, 6).ToArray(), matched, "each noisy copy settles on its own pattern");
        float[][] states = [.. recalled.GetColumn<float[]>("Recalled")];
        for (int p = 0; p < 6; p++)
            for (int i = 0; i < N; i++) Assert.AreEqual(memory.Patterns[p][i], states[p][i], 1e-3f, $"pattern {p}, neuron {i}");
        Assert.IsTrue(recalled.GetColumn<int>("Iterations").All(i => i >= 1));
        float[] energies = [.. recalled.GetColumn<float>("Energy")];
        Assert.IsTrue(energies.All(float.IsFinite));
        // A reloaded memory recalls the same way.
        var loaded = (HopfieldMemoryTransformer)((IEnumerable<ITransformer>)ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, memory, queries.Schema)), out _)).Single();
        CollectionAssert.AreEqual(ModelFiles.Dump(recalled, "Recalled", "Energy", "Iterations", "MatchedPattern"), ModelFiles.Dump(loaded.Transform(queries), "Recalled", "Energy", "Iterations", "MatchedPattern"));
    }

    [TestMethod]
    public void BadInputGivesClearErrors()
    {
        var ml = new MLContext(1);
        var estimator = ml.Transforms.HopfieldMemory("Features");
        float[] withNaN = new float[N];
        withNaN[7] = float.NaN;
        IDataView bad = ml.Data.LoadFromEnumerable(new[] { new Row { Features = Patterns(1, 1, false)[0] }, new Row { Features = withNaN } });
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => estimator.Fit(bad)).Message, "Row 1 of the pattern column 'Features' holds NaN at index 7");
        IDataView variable = ml.Data.LoadFromEnumerable(new[] { new { Features = new float[] { 1, -1, 1 } } });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(variable)).Message, "fixed size");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => estimator.Fit(ml.Data.LoadFromEnumerable(Array.Empty<Row>()))).Message, "at least one pattern");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(MLNetInternals.ToShape(variable.Schema))).Message, "fixed size");
    }
}
