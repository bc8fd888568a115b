using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// 2-D convolution with stride and zero padding (PyTorch <c>nn.Conv2d</c>, no dilation or groups),
/// computed per example as an im2col product. <c>weight</c> [Cout, Cin, kH, kW], <c>bias</c> [Cout].
/// A speech front end uses it over (time, frequency) planes, as Deep Speech 2 does.
/// </summary>
/// <remarks>Dims legend: one example is [Cin, H, W]; its output is [Cout, H', W'] with
/// H' = (H + 2 padH - kH) / strideH + 1 and likewise W'.</remarks>
public sealed class Conv2d
{
    private float[] _columns = [];
    private int[] _taps = [];
    private (int H, int W) _tapsSize;

    /// <summary>Creates the layer with zero weights.</summary>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, string namePrefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        if (kernel.H < 1 || kernel.W < 1 || stride.H < 1 || stride.W < 1 || padding.H < 0 || padding.W < 0)
            throw new ArgumentException($"Kernel {kernel} and stride {stride} must be >= 1 and padding {padding} >= 0.");
        InChannels = inChannels; OutChannels = outChannels; Kernel = kernel; Stride = stride; Padding = padding;
        Weight = new Parameter(namePrefix + "weight", outChannels, inChannels, kernel.H, kernel.W);
        Bias = new Parameter(namePrefix + "bias", outChannels);
        Parameters = [Weight, Bias];
    }

    /// <summary>Cin.</summary>
    public int InChannels { get; }

    /// <summary>Cout.</summary>
    public int OutChannels { get; }

    /// <summary>(kH, kW).</summary>
    public (int H, int W) Kernel { get; }

    /// <summary>(strideH, strideW).</summary>
    public (int H, int W) Stride { get; }

    /// <summary>(padH, padW) zeros on each side.</summary>
    public (int H, int W) Padding { get; }

    /// <summary>[Cout, Cin, kH, kW].</summary>
    public Parameter Weight { get; }

    /// <summary>[Cout].</summary>
    public Parameter Bias { get; }

    /// <summary>Weight and bias.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Output height and width for an input of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public (int H, int W) OutputSize(int height, int width)
    {
        int h = (height + 2 * Padding.H - Kernel.H) / Stride.H + 1, w = (width + 2 * Padding.W - Kernel.W) / Stride.W + 1;
        if (height + 2 * Padding.H < Kernel.H || width + 2 * Padding.W < Kernel.W)
            throw new ArgumentException($"An input of {height} x {width} (padded by {Padding}) is smaller than the kernel {Kernel}.");
        return (h, w);
    }

    /// <summary>output [Cout, H', W'] of one example input [Cin, H, W].</summary>
    public void Forward(ReadOnlySpan<float> input, int height, int width, Span<float> output)
    {
        var (oh, ow) = Check(input.Length, height, width, output.Length, nameof(output));
        int k = InChannels * Kernel.H * Kernel.W, positions = oh * ow;
        Span<float> cols = Columns(k * positions);
        ToColumns(input, height, width, oh, ow, cols);
        Gemm.NN(OutChannels, positions, k, Weight.Value, k, cols, positions, output, positions, accumulate: false);
        for (int c = 0; c < OutChannels; c++)
        {
            Span<float> plane = output.Slice(c * positions, positions);
            System.Numerics.Tensors.TensorPrimitives.Add(plane, Bias.Value[c], plane);
        }
    }

    /// <summary>Accumulates the parameter gradients of one example and writes dInput [Cin, H, W] (skipped when empty).</summary>
    public void Backward(ReadOnlySpan<float> input, int height, int width, ReadOnlySpan<float> dOutput, Span<float> dInput)
    {
        var (oh, ow) = Check(input.Length, height, width, dOutput.Length, nameof(dOutput));
        int k = InChannels * Kernel.H * Kernel.W, positions = oh * ow;
        Span<float> cols = Columns(k * positions);
        ToColumns(input, height, width, oh, ow, cols);
        Gemm.NT(OutChannels, k, positions, dOutput, positions, cols, positions, Weight.Gradient, k, accumulate: true);
        for (int c = 0; c < OutChannels; c++)
            Bias.Gradient[c] += System.Numerics.Tensors.TensorPrimitives.Sum(dOutput.Slice(c * positions, positions));
        if (dInput.IsEmpty) return;
        if (dInput.Length != input.Length) throw new ArgumentException($"dInput must hold {input.Length} values but holds {dInput.Length}.", nameof(dInput));
        Gemm.TN(k, positions, OutChannels, Weight.Value, k, dOutput, positions, cols, positions, accumulate: false);
        dInput.Clear();
        ReadOnlySpan<int> taps = Taps(height, width, oh, ow);
        for (int i = 0; i < taps.Length; i++)
            if (taps[i] >= 0) dInput[taps[i]] += cols[i];
    }

    private Span<float> Columns(int size)
    {
        if (_columns.Length < size) _columns = new float[size];
        return _columns.AsSpan(0, size);
    }

    /// <summary>cols[(c, i, j), (y, x)] = input[c, y*sH - pH + i, x*sW - pW + j], zero outside.</summary>
    private void ToColumns(ReadOnlySpan<float> input, int height, int width, int oh, int ow, Span<float> cols)
    {
        ReadOnlySpan<int> taps = Taps(height, width, oh, ow);
        for (int i = 0; i < taps.Length; i++) cols[i] = taps[i] >= 0 ? input[taps[i]] : 0f;
    }

    /// <summary>For each im2col entry, the input index it reads, or -1 for padding; cached per input size.</summary>
    private ReadOnlySpan<int> Taps(int height, int width, int oh, int ow)
    {
        if (_taps.Length > 0 && _tapsSize == (height, width)) return _taps;
        int positions = oh * ow;
        _taps = new int[InChannels * Kernel.H * Kernel.W * positions];
        for (int c = 0; c < InChannels; c++)
            for (int i = 0; i < Kernel.H; i++)
                for (int j = 0; j < Kernel.W; j++)
                {
                    int row = (c * Kernel.H + i) * Kernel.W + j;
                    for (int y = 0; y < oh; y++)
                        for (int x = 0; x < ow; x++)
                        {
                            int sy = y * Stride.H - Padding.H + i, sx = x * Stride.W - Padding.W + j;
                            bool inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                            _taps[row * positions + y * ow + x] = inside ? (c * height + sy) * width + sx : -1;
                        }
                }
        _tapsSize = (height, width);
        return _taps;
    }

    private (int H, int W) Check(int inputLength, int height, int width, int outputLength, string outputName)
    {
        if (inputLength != InChannels * height * width)
            throw new ArgumentException($"input must hold {InChannels * height * width} values ([Cin={InChannels}, H={height}, W={width}]) but holds {inputLength}.", "input");
        var (oh, ow) = OutputSize(height, width);
        if (outputLength != OutChannels * oh * ow)
            throw new ArgumentException($"{outputName} must hold {OutChannels * oh * ow} values ([Cout={OutChannels}, H'={oh}, W'={ow}]) but holds {outputLength}.", outputName);
        return (oh, ow);
    }
}
