namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>The shape of an <see cref="AcousticNetwork"/> (Deep Speech 2 style).</summary>
/// <param name="FeatureSize">F, features per input frame (mel bins, MFCCs).</param>
/// <param name="ClassCount">Output classes, the CTC blank (class 0) included.</param>
public sealed record AcousticArchitecture(int FeatureSize, int ClassCount)
{
    /// <summary>Channels of the 2-D convolution over (time, frequency); 0 leaves the front end out.</summary>
    public int ConvolutionChannels { get; init; } = 32;

    /// <summary>The convolution's kernel, (time, frequency).</summary>
    public (int Time, int Frequency) ConvolutionKernel { get; init; } = (11, 11);

    /// <summary>The convolution's stride, (time, frequency): a time stride of 2 halves the frames the recurrent layers read.</summary>
    public (int Time, int Frequency) ConvolutionStride { get; init; } = (2, 2);

    /// <summary>The clipped ReLU's ceiling after the convolution.</summary>
    public float ClipCeiling { get; init; } = 20f;

    /// <summary>Whether the recurrent layers read sequence-wise batch-normalized inputs.</summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>Recurrent cell.</summary>
    public CellType Cell { get; init; } = CellType.Gru;

    /// <summary>Hidden units per direction.</summary>
    public int HiddenSize { get; init; } = 256;

    /// <summary>Stacked recurrent layers.</summary>
    public int NumLayers { get; init; } = 3;

    /// <summary>Whether each layer also reads backwards (false for streaming).</summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>Dropout on the recurrent input (one mask per utterance) and between layers.</summary>
    public float Dropout { get; init; }

    /// <summary>Output frames of an utterance of <paramref name="frames"/> input frames (the convolution's output length, zero-padded by half its kernel in time).</summary>
    public int OutputFrames(int frames) => ConvolutionChannels == 0 ? frames : (frames + 2 * (ConvolutionKernel.Time / 2) - ConvolutionKernel.Time) / ConvolutionStride.Time + 1;

    /// <summary>Frequency bins after the convolution (zero-padded by half its kernel).</summary>
    public int OutputBins => ConvolutionChannels == 0 ? FeatureSize : (FeatureSize + 2 * (ConvolutionKernel.Frequency / 2) - ConvolutionKernel.Frequency) / ConvolutionStride.Frequency + 1;

    /// <summary>Features per step the recurrent layers read.</summary>
    public int RecurrentInputSize => ConvolutionChannels == 0 ? FeatureSize : ConvolutionChannels * OutputBins;

    /// <summary>Throws when a size is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FeatureSize, 1, nameof(FeatureSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ClassCount, 2, nameof(ClassCount));
        ArgumentOutOfRangeException.ThrowIfNegative(ConvolutionChannels, nameof(ConvolutionChannels));
        if (ConvolutionChannels > 0 && (ConvolutionKernel.Time < 1 || ConvolutionKernel.Frequency < 1 || ConvolutionStride.Time < 1 || ConvolutionStride.Frequency < 1))
            throw new ArgumentOutOfRangeException(nameof(ConvolutionKernel), $"The convolution's kernel {ConvolutionKernel} and stride {ConvolutionStride} must be positive.");
        if (ConvolutionChannels > 0 && OutputBins < 1) throw new ArgumentOutOfRangeException(nameof(ConvolutionKernel), $"The kernel {ConvolutionKernel} leaves no frequency bins of {FeatureSize}.");
        if (!(ClipCeiling > 0)) throw new ArgumentOutOfRangeException(nameof(ClipCeiling), ClipCeiling, "The clipped ReLU's ceiling must be positive.");
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumLayers, 1, nameof(NumLayers));
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
    }
}
