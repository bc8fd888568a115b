using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>Our side of the speech issue's row.</summary>
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
}
