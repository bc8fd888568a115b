using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// 1-D convolution over time with stride and zero padding (PyTorch <c>nn.Conv1d</c>):
/// input [Cin, L], output [Cout, L'], <c>weight</c> [Cout, Cin, k], <c>bias</c> [Cout].
/// It is a <see cref="Conv2d"/> whose second spatial axis has size 1.
/// </summary>
public sealed class Conv1d
{
    private readonly Conv2d _conv;

    /// <summary>Creates the layer with zero weights.</summary>
    public Conv1d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, string namePrefix = "")
    {
        _conv = new Conv2d(inChannels, outChannels, (kernel, 1), (stride, 1), (padding, 0), namePrefix);
        Weight = _conv.Weight;
        Bias = _conv.Bias;
    }

    /// <summary>[Cout, Cin, k, 1] (the trailing 1 is the unit width of the underlying 2-D kernel).</summary>
    public Parameter Weight { get; }

    /// <summary>[Cout].</summary>
    public Parameter Bias { get; }

    /// <summary>Weight and bias.</summary>
    public IReadOnlyList<Parameter> Parameters => _conv.Parameters;

    /// <summary>Output length for an input of <paramref name="length"/> steps.</summary>
    public int OutputLength(int length) => _conv.OutputSize(length, 1).H;

    /// <summary>output [Cout, L'] of input [Cin, L].</summary>
    public void Forward(ReadOnlySpan<float> input, int length, Span<float> output) => _conv.Forward(input, length, 1, output);

    /// <summary>Accumulates parameter gradients and writes dInput [Cin, L] (skipped when empty).</summary>
    public void Backward(ReadOnlySpan<float> input, int length, ReadOnlySpan<float> dOutput, Span<float> dInput) =>
        _conv.Backward(input, length, 1, dOutput, dInput);
}
