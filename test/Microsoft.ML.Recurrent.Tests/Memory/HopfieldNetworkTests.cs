using Microsoft.ML.Recurrent.Engine.Memory;

namespace Microsoft.ML.Recurrent.Tests.Memory;

/// <summary>Classic and modern Hopfield networks: energy, fixed points, recall and capacity against theory.</summary>
[TestClass]
public sealed class HopfieldNetworkTests
{
    private static float[] RandomPattern(int n, Random random) => [.. Enumerable.Range(0, n).Select(_ => random.Next(2) == 0 ? -1f : 1f)];

    private static float[] Flip(float[] pattern, double fraction, Random random)
    {
        float[] copy = (float[])pattern.Clone();
        foreach (int i in Enumerable.Range(0, copy.Length).OrderBy(_ => random.Next()).Take((int)Math.Round(fraction * copy.Length))) copy[i] = -copy[i];
        return copy;
    }

    [TestMethod]
    [DataRow(HopfieldLearningRule.Hebbian)]
    [DataRow(HopfieldLearningRule.Storkey)]
    public void EnergyNeverRisesUnderAsynchronousUpdatesAndStoredPatternsAreFixedPoints(HopfieldLearningRule rule)
    {
        var random = new Random(1);
        var network = new HopfieldNetwork(64);
        float[][] patterns = [.. Enumerable.Range(0, 4).Select(_ => RandomPattern(64, random))];
        foreach (float[] pattern in patterns) network.Store(pattern, rule);
        foreach (float[] pattern in patterns)
        {
            float[] state = (float[])pattern.Clone();
            Assert.AreEqual(1, network.Recall(state, HopfieldUpdate.Asynchronous, 10, random), "a stored pattern changes nothing in its first sweep");
            CollectionAssert.AreEqual(pattern, state);
        }
        // One neuron at a time from a random state: the energy after every single update is at most the one before.
        float[] s = RandomPattern(64, random);
        double energy = network.Energy(s);
        for (int step = 0; step < 2000; step++)
        {
            int i = random.Next(64);
            float field = System.Numerics.Tensors.TensorPrimitives.Dot(network.Weights.AsSpan(i * 64, 64), s);
            s[i] = field > 0 ? 1f : field < 0 ? -1f : s[i];
            double next = network.Energy(s);
            Assert.IsLessThanOrEqualTo(energy + 1e-9, next, $"step {step}");
            energy = next;
        }
    }

    [TestMethod]
    [DataRow(HopfieldUpdate.Asynchronous)]
    [DataRow(HopfieldUpdate.Synchronous)]
    public void BelowCapacityANoisyPatternIsRecalled(HopfieldUpdate update)
    {
        var random = new Random(2);
        var network = new HopfieldNetwork(200);
        float[][] patterns = [.. Enumerable.Range(0, 10).Select(_ => RandomPattern(200, random))];
        foreach (float[] pattern in patterns) network.Store(pattern, HopfieldLearningRule.Hebbian);
        foreach (float[] pattern in patterns)
        {
            float[] state = Flip(pattern, 0.15, random);
            network.Recall(state, update, 50, random);
            CollectionAssert.AreEqual(pattern, state);
        }
    }

    [TestMethod]
    public void HebbianCapacityIsNearTheoryAndStorkeyHoldsMore()
    {
        // Finite networks hold more than the N -> infinity limit 0.138 N under this criterion (measured: 0.20 at N = 100,
        // 0.18 at 200, 0.165-0.175 at 400 depending on the seed), so the bound is theory -20% / +38%; Storkey's rule,
        // measured at 0.465 here, lands far outside it.
        const int n = 400;
        double hebbian = HopfieldCapacity.Capacity(HopfieldCapacity.Curve(n, HopfieldLearningRule.Hebbian, seed: n));
        double storkey = HopfieldCapacity.Capacity(HopfieldCapacity.Curve(n, HopfieldLearningRule.Storkey, seed: n));
        Assert.IsGreaterThan(hebbian, storkey, $"Storkey {storkey:F3} vs Hebbian {hebbian:F3}");
        Assert.IsTrue(hebbian is >= 0.138 * 0.8 and <= 0.19, $"Hebbian capacity {hebbian:F3} for N = {n}; theory 0.138");
    }

    [TestMethod]
    public void TheModernNetworkRecallsAtALoadOfTwiceItsSize()
    {
        Assert.IsGreaterThanOrEqualTo(0.95, HopfieldCapacity.ModernRecall(400, 800, beta: 0.1f, seed: 5), "N = 400, P = 800 from 5% flipped bits");
        var random = new Random(4);
        const int N = 64, P = 2 * N;
        float[][] patterns = [.. Enumerable.Range(0, P).Select(_ => RandomPattern(N, random))];
        var network = new ModernHopfieldNetwork([.. patterns.SelectMany(p => p)], N, beta: 0.5f);
        int recalled = 0;
        foreach (float[] pattern in patterns)
        {
            float[] state = Flip(pattern, 0.2, random);
            double before = network.Energy(state);
            network.Recall(state, 10);
            Assert.IsLessThanOrEqualTo(before, network.Energy(state), "retrieval lowers the energy");
            if (Enumerable.Range(0, N).All(i => Math.Sign(state[i]) == Math.Sign(pattern[i]))) recalled++;
        }
        Assert.IsGreaterThanOrEqualTo(0.95 * P, recalled, $"{recalled} of {P} recalled");
    }

    [TestMethod]
    public void BadPatternsAreRefusedWithTheirPosition()
    {
        var network = new HopfieldNetwork(3);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => network.Store([1f, 0.5f, -1f], HopfieldLearningRule.Hebbian)).Message, "pattern[1] = 0.5");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => network.Store([1f, 1f], HopfieldLearningRule.Hebbian)).Message, "3 neurons");
    }
}
