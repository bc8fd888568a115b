using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Training;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The Deep Speech 2-style acoustic network: gradients through CTC by finite differences, and a tiny model learning a synthetic CTC task.</summary>
[TestClass]
public sealed class AcousticNetworkTests
{
    private static float[] Frames(SequenceLayout layout, int features, Random random) =>
        [.. Enumerable.Range(0, layout.TotalSteps * features).Select(_ => (float)(random.NextDouble() * 2 - 1))];

    [TestMethod]
    [DataRow(2, true, CellType.Gru, true, DisplayName = "convolution, batch norm, BiGRU")]
    [DataRow(0, false, CellType.Lstm, false, DisplayName = "LSTM alone, unidirectional")]
    [DataRow(3, false, CellType.Lstm, true, DisplayName = "convolution, BiLSTM")]
    [DataRow(0, true, CellType.Gru, true, DisplayName = "batch norm, BiGRU")]
    public void GradientsThroughCtcMatchFiniteDifferences(int channels, bool batchNorm, CellType cell, bool bidirectional)
    {
        var random = new Random(7);
        var architecture = new AcousticArchitecture(6, 4)
        {
            ConvolutionChannels = channels, ConvolutionKernel = (3, 3), ConvolutionStride = (2, 1), BatchNorm = batchNorm,
            Cell = cell, HiddenSize = 3, NumLayers = 2, Bidirectional = bidirectional,
        };
        var network = new AcousticNetwork(architecture, new Random(3));
        SequenceLayout layout = SequenceLayout.FromSortedLengths([9, 7, 5]);
        float[] frames = Frames(layout, 6, random);
        int[][] targets = [[1, 2], [3], [2, 2]];
        foreach (var p in network.Parameters) p.ZeroGradient();
        network.Loss(layout, frames, targets, new Random(1));
        double Loss()
        {
            ReadOnlySpan<float> logits = network.Forward(layout, frames, training: true, new Random(1));
            return CtcBatch.Compute(network.OutputLayout, logits, 4, targets, 0, true, new float[logits.Length]);
        }
        // A small step: the clipped ReLU's kink at 0 is close to some pre-activations, and a step of 1e-3 straddled one.
        foreach (var p in network.Parameters)
            FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss, samples: 8, eps: 2e-4f);
        CollectionAssert.AreEqual(channels > 0 ? new[] { 5, 4, 3 } : new[] { 9, 7, 5 }, network.OutputLayout.Lengths.ToArray(), "a time stride of 2 halves the frames");
    }

    /// <summary>An utterance of 1-4 symbols (1..3), each 3 frames of its own bump over 8 bins, with 1-3 noisy silent frames around.</summary>
    private static (float[] Frames, int[] Labels) Utterance(Random random)
    {
        var frames = new List<float>();
        int[] labels = [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(1, 4))];
        void Silence() { for (int i = random.Next(1, 4) * 8; i > 0; i--) frames.Add((float)(0.1 * (random.NextDouble() - 0.5))); }
        Silence();
        foreach (int label in labels)
        {
            for (int t = 0; t < 3; t++)
                for (int bin = 0; bin < 8; bin++) frames.Add((float)(Math.Exp(-0.5 * Math.Pow(bin - 2 * label, 2)) + 0.1 * (random.NextDouble() - 0.5)));
            Silence();
        }
        return ([.. frames], labels);
    }

    [TestMethod]
    public void ATinyModelLearnsASyntheticCtcTask()
    {
        var random = new Random(5);
        var network = new AcousticNetwork(new AcousticArchitecture(8, 4)
        {
            ConvolutionChannels = 4, ConvolutionKernel = (5, 3), ConvolutionStride = (2, 1), HiddenSize = 24, NumLayers = 1,
        }, new Random(2));
        var adam = new Adam(network.Parameters, learningRate: 1e-2f);
        (SequenceLayout Layout, float[] Frames, int[][] Labels) Batch(int count)
        {
            var utterances = Enumerable.Range(0, count).Select(_ => Utterance(random)).OrderByDescending(u => u.Frames.Length).ToArray();
            var layout = SequenceLayout.FromSortedLengths([.. utterances.Select(u => u.Frames.Length / 8)]);
            float[] packed = new float[layout.TotalSteps * 8];
            for (int b = 0; b < count; b++)
                for (int t = 0; t < layout.Lengths[b]; t++) utterances[b].Frames.AsSpan(t * 8, 8).CopyTo(packed.AsSpan(layout.Row(t, b) * 8, 8));
            return (layout, packed, [.. utterances.Select(u => u.Labels)]);
        }
        for (int step = 0; step < 250; step++)
        {
            var (layout, frames, labels) = Batch(16);
            network.Loss(layout, frames, labels, random);
            GradientClipping.ClipByGlobalNorm(network.Parameters, 5);
            adam.Step();
            adam.ZeroGradients();
        }
        var (testLayout, testFrames, testLabels) = Batch(60);
        ReadOnlySpan<float> logits = network.Forward(testLayout, testFrames);
        SequenceLayout output = network.OutputLayout;
        int correct = 0;
        for (int b = 0; b < output.BatchSize; b++)
        {
            float[] rows = new float[output.Lengths[b] * 4];
            Packing.CopySequence(output, logits, b, 4, rows);
            if (CtcDecoder.Greedy(rows, 4, blank: 0).SequenceEqual(testLabels[b])) correct++;
        }
        Assert.IsGreaterThanOrEqualTo(54, correct, $"greedy decoding transcribes {correct} of 60 new utterances exactly");
    }
}
