using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>A constrained CRF never yields an invalid tag sequence, and its distribution covers valid paths only.</summary>
[TestClass]
public sealed class ConstrainedCrfTests
{
    private static readonly string[] Tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "E-PER", "S-PER", "E-LOC", "S-LOC"];

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void DecodedSequencesAreAlwaysValidOverRandomScores(bool bioes)
    {
        string[] tags = bioes ? Tags : Tags[..5];
        TagConstraints constraints = bioes ? TagConstraints.Bioes(tags) : TagConstraints.Bio(tags);
        var random = new Random(bioes ? 2 : 1);
        var crf = new LinearChainCrf(tags.Length) { Constraints = constraints };
        int[] lengths = [.. Enumerable.Range(0, 200).Select(_ => random.Next(1, 12))];
        SequenceLayout layout = SequenceLayout.Sort(lengths, -1, out _);
        for (int round = 0; round < 5; round++)
        {
            // Scores that favour invalid moves: large random transitions and emissions.
            foreach (Parameter p in crf.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = (random.NextSingle() - 0.5f) * 20;
            float[] emissions = [.. Enumerable.Range(0, layout.TotalSteps * tags.Length).Select(_ => (random.NextSingle() - 0.5f) * 20)];
            int[] decoded = new int[layout.TotalSteps];
            new CrfBatch(crf).Decode(layout, emissions, null, decoded);
            for (int b = 0; b < layout.BatchSize; b++)
            {
                int[] path = [.. Enumerable.Range(0, layout.Lengths[b]).Select(t => decoded[layout.Row(t, b)])];
                Assert.IsTrue(constraints.CanStart(path[0]), $"{string.Join(" ", path.Select(t => tags[t]))} starts invalidly");
                Assert.IsTrue(constraints.CanEnd(path[^1]), $"{string.Join(" ", path.Select(t => tags[t]))} ends invalidly");
                for (int t = 1; t < path.Length; t++)
                    Assert.IsTrue(constraints.CanFollow(path[t - 1], path[t]), $"{tags[path[t]]} after {tags[path[t - 1]]} in {string.Join(" ", path.Select(x => tags[x]))}");
            }
        }
    }

    [TestMethod]
    [DataRow(3, false)]
    [DataRow(5, true)]
    [DataRow(9, true)]
    [DataRow(9, false)]
    public void ViterbiFindsTheBestPathByEnumeration(int tagCount, bool constrained)
    {
        // K = 3, 5 and 9 leave a partial vector of destination tags at every SIMD width; T = 1 has no transition at all.
        string[] tags = Tags[..tagCount];
        TagConstraints? constraints = constrained ? (tagCount == 9 ? TagConstraints.Bioes(tags) : TagConstraints.Bio(tags)) : null;
        var crf = new LinearChainCrf(tagCount) { Constraints = constraints };
        var random = new Random(tagCount);
        for (int steps = 1; steps <= 4; steps++)
        {
            foreach (Parameter p in crf.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = (random.NextSingle() - 0.5f) * 6;
            float[] emissions = [.. Enumerable.Range(0, steps * tagCount).Select(_ => (random.NextSingle() - 0.5f) * 6)];
            double best = double.NegativeInfinity;
            int[] bestPath = [];
            int[] path = new int[steps];
            for (long code = 0; code < (long)Math.Pow(tagCount, steps); code++)
            {
                long rest = code;
                for (int t = 0; t < steps; t++, rest /= tagCount) path[t] = (int)(rest % tagCount);
                double score = crf.PathScore(emissions, path);
                if (score > best) { best = score; bestPath = [.. path]; }
            }
            (int[] decoded, double decodedScore) = crf.Viterbi(emissions);
            CollectionAssert.AreEqual(bestPath, decoded, $"K={tagCount}, T={steps}");
            Assert.AreEqual(best, decodedScore, 1e-9 * Math.Max(1, Math.Abs(best)), $"K={tagCount}, T={steps}: {best} vs {decodedScore}");
        }
    }

    [TestMethod]
    public void ThePartitionSumsOverValidPathsOnly()
    {
        string[] tags = Tags[..5];
        var crf = new LinearChainCrf(5) { Constraints = TagConstraints.Bio(tags) };
        var random = new Random(3);
        foreach (Parameter p in crf.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = random.NextSingle() - 0.5f;
        float[] emissions = [.. Enumerable.Range(0, 4 * 5).Select(_ => random.NextSingle() * 2 - 1)];
        // Enumerate all 5^4 paths; only valid ones count.
        double total = 0;
        int valid = 0;
        for (int code = 0; code < 625; code++)
        {
            int[] path = [code % 5, code / 5 % 5, code / 25 % 5, code / 125];
            double score = crf.PathScore(emissions, path);
            if (double.IsNegativeInfinity(score)) continue;
            valid++;
            total += Math.Exp(score);
        }
        Assert.IsTrue(valid is > 0 and < 625);
        Assert.AreEqual(Math.Log(total), crf.LogPartition(emissions), 1e-9);
        float[] marginals = new float[emissions.Length];
        crf.Marginals(emissions, marginals);
        Assert.AreEqual(0f, marginals[2], "I-PER can never start a sentence");
        Assert.AreEqual(0f, marginals[4], "nor can I-LOC");
    }
}
