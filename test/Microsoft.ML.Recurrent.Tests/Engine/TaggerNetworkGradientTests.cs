using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The whole tagger (embedding + features, BiLSTM, emissions, constrained CRF or softmax): gradients by finite differences.</summary>
[TestClass]
public sealed class TaggerNetworkGradientTests
{
    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void TaggerGradientsMatchFiniteDifferences(bool crf)
    {
        string[] tags = ["O", "B-X", "I-X", "B-Y"];
        var network = new TaggerNetwork(new TaggerArchitecture(VocabularySize: 9, TagCount: 4)
        {
            EmbeddingSize = 4, FeatureSize = 2, HiddenSize = 5, NumLayers = 2, UseCrf = crf, Constraints = crf ? TagConstraints.Bio(tags) : null,
        });
        var random = new Random(7);
        network.Initialize(random);
        if (network.Crf is { } c) foreach (Parameter p in c.Parameters) for (int i = 0; i < p.Size; i++) p.Value[i] = random.NextSingle() - 0.5f;
        SequenceLayout layout = SequenceLayout.FromSortedLengths([5, 3, 2]);
        int[] ids = [.. Enumerable.Range(0, layout.TotalSteps).Select(_ => random.Next(9))];
        float[] features = [.. Enumerable.Range(0, layout.TotalSteps * 2).Select(_ => random.NextSingle())];
        // Gold tags valid under BIO: B-X I-X ... O, B-Y.
        int[] gold = new int[layout.TotalSteps];
        for (int b = 0; b < 3; b++)
            for (int t = 0; t < layout.Lengths[b]; t++) gold[layout.Row(t, b)] = t == 0 ? 1 : t == 1 ? 2 : t % 2 == 0 ? 0 : 3;
        double Loss()
        {
            network.Forward(layout, ids, features);
            return network.Loss(gold, gradient: false);
        }
        foreach (Parameter p in network.Parameters) p.ZeroGradient();
        network.Forward(layout, ids, features);
        network.Loss(gold, gradient: true);
        foreach (Parameter p in network.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss, samples: 8);
    }
}
