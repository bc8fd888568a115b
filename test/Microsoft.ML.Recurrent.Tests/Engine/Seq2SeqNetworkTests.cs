using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The encoder-decoder with attention: gradients by finite differences for each score, cell and bridge, and teacher forcing against step-by-step decoding.</summary>
[TestClass]
public sealed class Seq2SeqNetworkTests
{
    private static readonly int[][] Sources = [[2, 3, 4], [5, 1, 2, 3, 6], [4], [6, 6]];
    private static readonly int[][] Targets = [[3, 2], [4, 5, 2, 3], [], [2]];

    private static Seq2SeqNetwork Create(CellType cell, AttentionScore score, bool bidirectional, bool feeding, int layers, int decoderHidden)
    {
        var network = new Seq2SeqNetwork(new Seq2SeqArchitecture(SourceVocabularySize: 7, TargetVocabularySize: 6)
        {
            Cell = cell, Score = score, Bidirectional = bidirectional, InputFeeding = feeding, EmbeddingSize = 3, EncoderHiddenSize = 4,
            EncoderLayers = layers, DecoderHiddenSize = decoderHidden, DecoderLayers = layers, AttentionSize = 3,
        });
        network.Initialize(new Random(3));
        return network;
    }

    [TestMethod]
    [DataRow(CellType.Lstm, AttentionScore.Additive, true, true, 1, 5, 0f)]
    [DataRow(CellType.Gru, AttentionScore.General, true, false, 2, 4, 0.1f)]
    [DataRow(CellType.Lstm, AttentionScore.Dot, false, true, 2, 4, 0f)]
    [DataRow(CellType.Gru, AttentionScore.ScaledDot, true, true, 1, 8, 0f)]
    public void GradientsMatchFiniteDifferences(CellType cell, AttentionScore score, bool bidirectional, bool feeding, int layers, int decoderHidden, float smoothing)
    {
        Seq2SeqNetwork network = Create(cell, score, bidirectional, feeding, layers, decoderHidden);
        Assert.AreEqual(!bidirectional && decoderHidden == 4, network.Architecture.CopiesStates);
        double Loss() => network.Loss(Sources, Targets, gradient: false, labelSmoothing: smoothing);
        foreach (Parameter p in network.Parameters) p.ZeroGradient();
        double loss = network.Loss(Sources, Targets, gradient: true, labelSmoothing: smoothing);
        Assert.AreEqual(Loss(), loss, 1e-6, "the gradient pass computes the same loss");
        Assert.IsGreaterThan(0.5, loss);
        Assert.AreEqual(network.Parameters.Count, network.Parameters.Select(p => p.Name).Distinct().Count(), "parameter names are unique");
        foreach (Parameter p in network.Parameters)
        {
            Assert.IsTrue(p.Gradient.Any(g => g != 0), $"{p.Name} gets a gradient");
            FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss, samples: 6);
        }
    }

    [TestMethod]
    [DataRow(CellType.Lstm, AttentionScore.Additive, true)]
    [DataRow(CellType.Gru, AttentionScore.General, false)]
    public void TeacherForcingEqualsStepByStepDecodingFedTheGoldPrefix(CellType cell, AttentionScore score, bool feeding)
    {
        Seq2SeqNetwork network = Create(cell, score, bidirectional: true, feeding, layers: 2, decoderHidden: 5);
        double forced = network.Loss(Sources, Targets, gradient: false);
        (RecurrentState state, int[] order) = network.EncodeForDecoding(Sources, 1);
        int b = Sources.Length, v = 6, end = network.Architecture.EndOfSequence;
        var next = new RecurrentState(network.Decoder.Recurrent, b);
        float[] feed = new float[b * network.Architecture.DecoderHiddenSize];
        int[] inputs = Enumerable.Repeat(end, b).ToArray();
        double total = 0;
        int tokens = 0;
        for (int t = 0; t <= Targets.Max(x => x.Length); t++)
        {
            ReadOnlySpan<float> logits = network.Decoder.Step(inputs, feed, state, next, default);
            for (int r = 0; r < b; r++)
            {
                int[] target = Targets[order[r]];
                int gold = t < target.Length ? target[t] : t == target.Length ? end : -1;
                inputs[r] = gold < 0 ? end : gold;
                if (gold < 0) continue;
                total += SoftmaxCrossEntropy.Compute(logits.Slice(r * v, v), v, [gold], default);
                tokens++;
            }
            (state, next) = (next, state);
        }
        Assert.AreEqual(forced, total / tokens, 1e-5);
    }

    [TestMethod]
    public void BadBatchesAreRefusedWithTheirPlace()
    {
        Seq2SeqNetwork network = Create(CellType.Lstm, AttentionScore.Additive, true, true, 1, 5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => network.Loss([[1], []], [[1], [2]], gradient: false)).Message, "Source 1 is empty");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => network.Loss([[1], [2]], [[1], [2, 9]], gradient: false)).Message, "Target 1 holds id 9 at position 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Seq2SeqNetwork(new Seq2SeqArchitecture(5, 5) { Score = AttentionScore.Dot, DecoderHiddenSize = 100 })).Message, "key width");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Seq2SeqNetwork(new Seq2SeqArchitecture(5, 5) { Cell = CellType.PeepholeLstm })).Message, "peephole");
    }
}
