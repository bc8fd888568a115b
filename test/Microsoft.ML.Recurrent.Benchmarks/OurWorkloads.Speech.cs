using Microsoft.ML.Recurrent.Audio;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>Our side of the speech issue's rows.</summary>
internal static partial class OurWorkloads
{
    /// <summary>A Deep Speech 2-style training step: convolution (time stride 2), batch norm, stacked BiGRUs, CTC, backward, Adam.</summary>
    public static Action SpeechStep(int batch, int frames, int features, int channels, int hidden, int layers, int classes, int targetLength)
    {
        var random = new Random(5);
        var network = new AcousticNetwork(new AcousticArchitecture(features, classes)
        {
            ConvolutionChannels = channels, ConvolutionKernel = (11, 11), ConvolutionStride = (2, 2), HiddenSize = hidden, NumLayers = layers,
        }, new Random(1));
        var adam = new Adam(network.Parameters, 1e-4f);
        var layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(frames, batch).ToArray());
        float[] x = Data.Uniform(layout.TotalSteps * features, random);
        int[][] targets = Data.Targets(batch, targetLength, classes, random);
        return () =>
        {
            network.Loss(layout, x, targets, random);
            adam.Step();
            adam.ZeroGradients();
        };
    }

    /// <summary>
    /// Log-mel features of <paramref name="utterances"/> utterances of <paramref name="seconds"/> s at <paramref name="sampleRate"/>
    /// Hz (25 ms Hann window, 10 ms hop, centred, 40 mels), through the featurizer the <c>AudioFeatures</c> transform runs on each row.
    /// </summary>
    public static Action LogMel(int utterances, double seconds, int sampleRate)
    {
        Func<float[], float[]> featurize = new AudioFeatureOptions { Kind = AudioFeatureKind.LogMel, SampleRate = sampleRate, MelCount = 40 }.Featurizer();
        float[][] audio = Data.Audio(utterances, (int)(seconds * sampleRate), new Random(5));
        return () =>
        {
            foreach (float[] samples in audio) featurize(samples);
        };
    }
}
