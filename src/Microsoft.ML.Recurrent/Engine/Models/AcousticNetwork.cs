using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// A CTC acoustic model in the style of Deep Speech 2 (Amodei et al. 2016): an optional 2-D convolution over each
/// utterance's (time, frequency) plane with a time stride and a clipped ReLU, sequence-wise batch normalization,
/// a stack of (bi)directional GRU or LSTM layers and a dense layer giving per-frame scores over the symbols and the
/// blank (class 0), trained with CTC. Input frames come packed [N, F] on a layout of the utterances' lengths; the
/// outputs are packed on the layout of the output lengths (<see cref="AcousticArchitecture.OutputFrames"/>, in the same
/// sorted order). An instance keeps workspaces: use one per thread.
/// </summary>
public sealed class AcousticNetwork
{
    private readonly SequenceEncoder _encoder;
    private float[] _frames = [], _plane = [], _convOut = [], _activated = [], _normalized = [], _logits = [], _dLogits = [], _dEncoder = [], _dFeatures = [], _dPlane = [];
    private SequenceLayout? _input, _output;

    /// <summary>Creates the network; initializes it from <paramref name="random"/>, or leaves it at zero when null.</summary>
    public AcousticNetwork(AcousticArchitecture architecture, Random? random)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        var a = architecture;
        if (a.ConvolutionChannels > 0)
            Convolution = new Conv2d(1, a.ConvolutionChannels, (a.ConvolutionKernel.Time, a.ConvolutionKernel.Frequency), (a.ConvolutionStride.Time, a.ConvolutionStride.Frequency),
                (a.ConvolutionKernel.Time / 2, a.ConvolutionKernel.Frequency / 2), "conv.");
        if (a.BatchNorm) Normalization = new SequenceBatchNorm(a.RecurrentInputSize, namePrefix: "bn.");
        _encoder = new SequenceEncoder(a.Cell, a.RecurrentInputSize, a.HiddenSize, a.NumLayers, a.Bidirectional, vocabularySize: 0, a.Dropout);
        Head = new Dense(_encoder.OutputSize, a.ClassCount, "output.");
        Parameters = [.. Convolution?.Parameters ?? [], .. Normalization?.Parameters ?? [], .. _encoder.Parameters, .. Head.Parameters];
        if (random is null) return;
        if (Convolution is not null) Initializer.HeNormal(Convolution.Weight, random);
        _encoder.Initialize(random);
        Initializer.XavierUniform(Head.Weight, random);
    }

    /// <summary>The shape.</summary>
    public AcousticArchitecture Architecture { get; }

    /// <summary>The convolutional front end, or null.</summary>
    public Conv2d? Convolution { get; }

    /// <summary>The batch normalization of the recurrent input, or null.</summary>
    public SequenceBatchNorm? Normalization { get; }

    /// <summary>The recurrent stack.</summary>
    public RecurrentNetwork Recurrent => _encoder.Recurrent;

    /// <summary>The output layer.</summary>
    public Dense Head { get; }

    /// <summary>Every parameter: convolution, batch norm, recurrent, output.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The layout of the last forward call's outputs.</summary>
    public SequenceLayout OutputLayout => _output ?? throw new InvalidOperationException("Call Forward first.");

    /// <summary>Per-frame scores [N', C] on <see cref="OutputLayout"/> for packed frames [N, F] on <paramref name="layout"/> (batch norm in training mode when training).</summary>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<float> frames, bool training = false, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        AcousticArchitecture a = Architecture;
        Guard.Length(frames, layout.TotalSteps * a.FeatureSize, nameof(frames), $"[N={layout.TotalSteps}, F={a.FeatureSize}]");
        _input = layout;
        _output = a.ConvolutionChannels == 0 ? layout : SequenceLayout.FromSortedLengths([.. layout.Lengths.ToArray().Select(a.OutputFrames)]);
        if (a.ConvolutionChannels > 0 && _output.Lengths.ToArray().Any(l => l < 1)) throw new ArgumentException("An utterance is too short for the convolution's time stride.", nameof(frames));
        int n = _output.TotalSteps, d = a.RecurrentInputSize;
        Workspace.Grow(ref _activated, n * d);
        Span<float> features = _activated.AsSpan(0, n * d);
        if (Convolution is null) frames.CopyTo(features);
        else Convolve(layout, frames, features);
        Workspace.Grow(ref _normalized, n * d);
        Span<float> normalized = _normalized.AsSpan(0, n * d);
        if (Normalization is not null) Normalization.Forward(features, normalized, training);
        else features.CopyTo(normalized);
        ReadOnlySpan<float> encoded = _encoder.Forward(_output, normalized, training, random);
        Workspace.Grow(ref _logits, n * a.ClassCount);
        Span<float> logits = _logits.AsSpan(0, n * a.ClassCount);
        Head.Forward(n, encoded, logits);
        return logits;
    }

    /// <summary>
    /// The mean CTC loss of a training batch (forward with dropout and batch statistics, then backward into the
    /// parameters' gradients). <paramref name="targets"/> are the label sequences (classes 1..C-1) in the layout's sorted order.
    /// </summary>
    public double Loss(SequenceLayout layout, ReadOnlySpan<float> frames, IReadOnlyList<int[]> targets, Random random)
    {
        ReadOnlySpan<float> logits = Forward(layout, frames, training: true, random);
        Workspace.Grow(ref _dLogits, logits.Length);
        Span<float> dLogits = _dLogits.AsSpan(0, logits.Length);
        double loss = CtcBatch.Compute(OutputLayout, logits, Architecture.ClassCount, targets, blank: 0, zeroInfinity: true, dLogits);
        if (double.IsFinite(loss)) Backward(dLogits);
        return loss;
    }

    /// <summary>The mean CTC loss of a batch without gradients or dropout (validation).</summary>
    public double Evaluate(SequenceLayout layout, ReadOnlySpan<float> frames, IReadOnlyList<int[]> targets)
    {
        ReadOnlySpan<float> logits = Forward(layout, frames);
        Workspace.Grow(ref _dLogits, logits.Length);
        return CtcBatch.Compute(OutputLayout, logits, Architecture.ClassCount, targets, blank: 0, zeroInfinity: true, _dLogits.AsSpan(0, logits.Length));
    }

    /// <summary>Backpropagates dLoss/dScores [N', C] of the last (training) forward call into every parameter's gradient.</summary>
    public void Backward(ReadOnlySpan<float> dScores)
    {
        SequenceLayout output = _output ?? throw new InvalidOperationException("Call Forward before Backward.");
        AcousticArchitecture a = Architecture;
        int n = output.TotalSteps, d = a.RecurrentInputSize, width = _encoder.OutputSize;
        Workspace.Grow(ref _dEncoder, n * width);
        Span<float> dEncoded = _dEncoder.AsSpan(0, n * width);
        Head.Backward(n, _encoder.Output, dScores, dEncoded);
        _encoder.Backward(dEncoded, frameGradient: Normalization is not null || Convolution is not null);
        if (Normalization is null && Convolution is null) return;
        Workspace.Grow(ref _dFeatures, n * d);
        Span<float> dFeatures = _dFeatures.AsSpan(0, n * d);
        if (Normalization is not null) Normalization.Backward(_encoder.InputGradient, dFeatures);
        else _encoder.InputGradient.CopyTo(dFeatures);
        if (Convolution is not null) ConvolveBackward(dFeatures);
    }

    /// <summary>Each utterance's [1, T, F] plane through the convolution and the clipped ReLU, its [C, T', F'] output written as T' packed rows of C*F' features.</summary>
    private void Convolve(SequenceLayout layout, ReadOnlySpan<float> frames, Span<float> features)
    {
        AcousticArchitecture a = Architecture;
        int f = a.FeatureSize, c = a.ConvolutionChannels, bins = a.OutputBins, d = a.RecurrentInputSize;
        Workspace.Grow(ref _frames, frames.Length);
        frames.CopyTo(_frames);
        Workspace.Grow(ref _convOut, _output!.TotalSteps * d);
        for (int b = 0; b < layout.BatchSize; b++)
        {
            int t = layout.Lengths[b], tOut = _output.Lengths[b];
            Span<float> plane = Plane(layout, frames, b);
            Span<float> conv = _convOut.AsSpan(Offset(b) * d, c * tOut * bins);
            Convolution!.Forward(plane, t, f, conv);
            for (int s = 0; s < tOut; s++)
                for (int ch = 0; ch < c; ch++)
                    ClippedRelu.Forward(conv.Slice((ch * tOut + s) * bins, bins), features.Slice(_output.Row(s, b) * d + ch * bins, bins), a.ClipCeiling);
        }
    }

    private void ConvolveBackward(ReadOnlySpan<float> dFeatures)
    {
        AcousticArchitecture a = Architecture;
        SequenceLayout input = _input!, output = _output!;
        int f = a.FeatureSize, c = a.ConvolutionChannels, bins = a.OutputBins, d = a.RecurrentInputSize;
        for (int b = 0; b < input.BatchSize; b++)
        {
            int t = input.Lengths[b], tOut = output.Lengths[b];
            Span<float> conv = _convOut.AsSpan(Offset(b) * d, c * tOut * bins);
            Workspace.Grow(ref _dPlane, c * tOut * bins);
            Span<float> dConv = _dPlane.AsSpan(0, c * tOut * bins);
            for (int s = 0; s < tOut; s++)
                for (int ch = 0; ch < c; ch++)
                {
                    Span<float> pre = conv.Slice((ch * tOut + s) * bins, bins);
                    ClippedRelu.Backward(pre, dFeatures.Slice(output.Row(s, b) * d + ch * bins, bins), dConv.Slice((ch * tOut + s) * bins, bins), a.ClipCeiling);
                }
            Convolution!.Backward(Plane(input, _frames, b), t, f, dConv, default);
        }
    }

    /// <summary>Output rows of the utterances before sorted position <paramref name="b"/> (where its convolution output is kept).</summary>
    private int Offset(int b)
    {
        int rows = 0;
        for (int i = 0; i < b; i++) rows += _output!.Lengths[i];
        return rows;
    }

    /// <summary>Utterance <paramref name="b"/>'s frames as one [T, F] plane (copied out of the time-major packing).</summary>
    private Span<float> Plane(SequenceLayout layout, ReadOnlySpan<float> frames, int b)
    {
        int t = layout.Lengths[b], f = Architecture.FeatureSize;
        Workspace.Grow(ref _plane, t * f);
        Packing.CopySequence(layout, frames, b, f, _plane);
        return _plane.AsSpan(0, t * f);
    }
}
