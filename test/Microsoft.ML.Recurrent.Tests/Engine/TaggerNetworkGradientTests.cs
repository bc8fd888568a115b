using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The whole tagger (embedding + features, BiLSTM, emissions, constrained CRF or softmax): gradients by finite differences.</summary>
[TestClass]
public sealed class TaggerNetworkGradientTests
{
    [TestMethod]
    [DataRow(true, false)]
    [DataRow(false, false)]
    [DataRow(true, true)]
    public void TaggerGradientsMatchFiniteDifferences(bool crf, bool characters)
    {
        string[] tags = ["O", "B-X", "I-X", "B-Y"];
        var network = new TaggerNetwork(new TaggerArchitecture(VocabularySize: 9, TagCount: 4)
        {
            EmbeddingSize = 4, FeatureSize = 2, HiddenSize = 5, NumLayers = 2, UseCrf = crf, Constraints = crf ? TagConstraints.Bio(tags) : null,
            CharacterVocabularySize = characters ? 6 : 0, CharacterEmbeddingSize = 3, CharacterFilters = 4,
        });
        var random = new Random(7);
        network.Initialize(random);
        if (network.Crf is { } c) foreach (Parameter p in c.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = random.NextSingle() - 0.5f;
        SequenceLayout layout = SequenceLayout.FromSortedLengths([5, 3, 2]);
        int[] ids = [.. Enumerable.Range(0, layout.TotalSteps).Select(_ => random.Next(9))];
        float[] features = [.. Enumerable.Range(0, layout.TotalSteps * 2).Select(_ => random.NextSingle())];
        // Each token's characters: 1 to 4 ids.
        int[] offsets = new int[layout.TotalSteps + 1];
        for (int r = 0; r < layout.TotalSteps; r++) offsets[r + 1] = offsets[r] + random.Next(1, 5);
        int[] chars = characters ? [.. Enumerable.Range(0, offsets[^1]).Select(_ => random.Next(6))] : [];
        if (!characters) offsets = [];
        // Gold tags valid under BIO: B-X I-X ... O, B-Y.
        int[] gold = new int[layout.TotalSteps];
        for (int b = 0; b < 3; b++)
            for (int t = 0; t < layout.Lengths[b]; t++) gold[layout.Row(t, b)] = t == 0 ? 1 : t == 1 ? 2 : t % 2 == 0 ? 0 : 3;
        double Loss()
        {
            network.Forward(layout, ids, features, chars, offsets);
            return network.Loss(gold, gradient: false);
        }
        foreach (Parameter p in network.Parameters) p.ZeroGradient();
        network.Forward(layout, ids, features, chars, offsets);
        network.Loss(gold, gradient: true);
        foreach (Parameter p in network.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss, samples: 8);
    }
}
