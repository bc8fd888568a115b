using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Jordan network: the recurrence feeds back the previous <em>output</em>, not the hidden state.
/// <c>h(t) = tanh(W_ih x(t) + W_yh y(t-1) + b_h)</c>, <c>y(t) = sigmoid(W_hy h(t) + b_y)</c>;
/// the layer's output is y. Parameters: <c>weight_ih</c> [H, I], <c>weight_yh</c> [H, O],
/// <c>bias_h</c> [H], <c>weight_hy</c> [O, H], <c>bias_y</c> [O].
/// </summary>
/// <remarks>Dims legend: N = packed rows, B = sequences, I = input, H = hidden, O = output size.</remarks>
public sealed class JordanLayer
{
    private float[] _hidden = [], _y = [], _yPrev = [], _dh = [];
    private SequenceLayout? _layout;

    /// <summary>Creates the layer.</summary>
    public JordanLayer(int inputSize, int hiddenSize, int outputSize, string nameSuffix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        InputSize = inputSize; HiddenSize = hiddenSize; OutputSize = outputSize;
        WeightIh = new Parameter("weight_ih" + nameSuffix, hiddenSize, inputSize);
        WeightYh = new Parameter("weight_yh" + nameSuffix, hiddenSize, outputSize);
        BiasH = new Parameter("bias_h" + nameSuffix, hiddenSize);
        WeightHy = new Parameter("weight_hy" + nameSuffix, outputSize, hiddenSize);
        BiasY = new Parameter("bias_y" + nameSuffix, outputSize);
        Parameters = [WeightIh, WeightYh, BiasH, WeightHy, BiasY];
    }

    /// <summary>I.</summary>
    public int InputSize { get; }

    /// <summary>H.</summary>
    public int HiddenSize { get; }

    /// <summary>O.</summary>
    public int OutputSize { get; }

    /// <summary><c>weight_ih</c> [H, I].</summary>
    public Parameter WeightIh { get; }

    /// <summary><c>weight_yh</c> [H, O].</summary>
    public Parameter WeightYh { get; }

    /// <summary><c>bias_h</c> [H].</summary>
    public Parameter BiasH { get; }

    /// <summary><c>weight_hy</c> [O, H].</summary>
    public Parameter WeightHy { get; }

    /// <summary><c>bias_y</c> [O].</summary>
    public Parameter BiasY { get; }

    /// <summary>All trainable tensors.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Runs forward.</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="input">[N, I] packed input.</param>
    /// <param name="y0">[B, O] initial fed-back output, or empty for zeros.</param>
    /// <param name="output">[N, O] receives y at every step.</param>
    /// <param name="yN">[B, O] receives each sequence's last output, or empty.</param>
    public void Forward(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> y0, Span<float> output, Span<float> yN)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int n = layout.TotalSteps, b = layout.BatchSize, h = HiddenSize, o = OutputSize;
        Check(layout, input, output, y0, yN);
        Guard.Finite(input, nameof(input));
        if (_hidden.Length < n * h) { _hidden = new float[n * h]; _dh = new float[n * h]; }
        if (_y.Length < b * o) { _y = new float[b * o]; _yPrev = new float[b * o]; }
        _layout = layout;
        Span<float> hidden = _hidden.AsSpan(0, n * h), y = _y.AsSpan(0, b * o);
        Gemm.NT(n, h, InputSize, input, InputSize, WeightIh.Value, InputSize, hidden, h, accumulate: false, rowBias: BiasH.Value);
        if (y0.IsEmpty) y.Clear(); else y0.CopyTo(y);
        for (int t = 0; t < layout.MaxLength; t++)
        {
            int rows = layout.BatchSizes[t], row0 = layout.StepOffset(t);
            Span<float> a = hidden.Slice(row0 * h, rows * h);
            Gemm.NT(rows, h, o, y, o, WeightYh.Value, o, a, h, accumulate: true);
            Activation.Tanh(a, a);
            Span<float> yt = output.Slice(row0 * o, rows * o);
            Gemm.NT(rows, o, h, a, h, WeightHy.Value, h, yt, o, accumulate: false, rowBias: BiasY.Value);
            Activation.Sigmoid(yt, yt);
            yt.CopyTo(y);
        }
        if (!yN.IsEmpty) y.CopyTo(yN);
    }

    /// <summary>Backpropagates the last forward call; accumulates parameter gradients.</summary>
    /// <param name="layout">Layout of the forward call.</param>
    /// <param name="input">[N, I] forward input.</param>
    /// <param name="y0">[B, O] forward initial output, or empty.</param>
    /// <param name="output">[N, O] forward output.</param>
    /// <param name="dOutput">[N, O] gradient of the output.</param>
    /// <param name="dyN">[B, O] gradient of the last outputs, or empty.</param>
    /// <param name="dInput">[N, I] receives the input gradient, or empty.</param>
    /// <param name="dy0">[B, O] receives the gradient of <paramref name="y0"/>, or empty.</param>
    public void Backward(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> y0, ReadOnlySpan<float> output,
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> dyN, Span<float> dInput, Span<float> dy0)
    {
        if (!ReferenceEquals(layout, _layout)) throw new InvalidOperationException("Backward must follow the Forward call with the same layout.");
        int n = layout.TotalSteps, b = layout.BatchSize, h = HiddenSize, o = OutputSize;
        Check(layout, input, output, y0, dyN);
        if (dOutput.Length != output.Length) throw new ArgumentException($"dOutput must hold {output.Length} values but holds {dOutput.Length}.", nameof(dOutput));
        Span<float> dy = _y.AsSpan(0, b * o), yPrev = _yPrev.AsSpan(0, b * o), dA = _dh.AsSpan(0, n * h);
        ReadOnlySpan<float> hidden = _hidden.AsSpan(0, n * h);
        if (dyN.IsEmpty) dy.Clear(); else dyN.CopyTo(dy);
        for (int t = layout.MaxLength - 1; t >= 0; t--)
        {
            int rows = layout.BatchSizes[t], row0 = layout.StepOffset(t);
            Span<float> d = dy.Slice(0, rows * o);
            ReadOnlySpan<float> yt = output.Slice(row0 * o, rows * o), ht = hidden.Slice(row0 * h, rows * h);
            TensorPrimitives.Add(d, dOutput.Slice(row0 * o, rows * o), d);
            for (int i = 0; i < d.Length; i++) d[i] *= yt[i] * (1f - yt[i]);
            Gemm.TN(o, h, rows, d, o, ht, h, WeightHy.Gradient, h, accumulate: true);
            Gemm.AddColumnSums(rows, o, d, o, BiasY.Gradient);
            Span<float> da = dA.Slice(row0 * h, rows * h);
            Gemm.NN(rows, h, o, d, o, WeightHy.Value, h, da, h, accumulate: false);
            for (int i = 0; i < da.Length; i++) da[i] *= 1f - ht[i] * ht[i];
            ReadOnlySpan<float> prev = t > 0 ? output.Slice(layout.StepOffset(t - 1) * o, rows * o) : (y0.IsEmpty ? yPrev.Slice(0, rows * o) : y0.Slice(0, rows * o));
            if (t == 0 && y0.IsEmpty) yPrev.Clear();
            Gemm.TN(h, o, rows, da, h, prev, o, WeightYh.Gradient, o, accumulate: true);
            Gemm.NN(rows, o, h, da, h, WeightYh.Value, o, d, o, accumulate: false);
        }
        if (!dy0.IsEmpty) dy.CopyTo(dy0);
        if (!dInput.IsEmpty) Gemm.NN(n, InputSize, h, dA, h, WeightIh.Value, InputSize, dInput, InputSize, accumulate: false);
        Gemm.TN(h, InputSize, n, dA, h, input, InputSize, WeightIh.Gradient, InputSize, accumulate: true);
        Gemm.AddColumnSums(n, h, dA, h, BiasH.Gradient);
    }

    private void Check(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> y0, ReadOnlySpan<float> yN)
    {
        int n = layout.TotalSteps, b = layout.BatchSize;
        if (input.Length != n * InputSize) throw new ArgumentException($"input must hold {n * InputSize} values ([N={n}, I={InputSize}]) but holds {input.Length}.", nameof(input));
        if (output.Length != n * OutputSize) throw new ArgumentException($"output must hold {n * OutputSize} values ([N={n}, O={OutputSize}]) but holds {output.Length}.", nameof(output));
        if (!y0.IsEmpty && y0.Length != b * OutputSize) throw new ArgumentException($"The initial output must hold {b * OutputSize} values ([B={b}, O={OutputSize}]) but holds {y0.Length}.", nameof(y0));
        if (!yN.IsEmpty && yN.Length != b * OutputSize) throw new ArgumentException($"The final output must hold {b * OutputSize} values ([B={b}, O={OutputSize}]) but holds {yN.Length}.", nameof(yN));
    }
}
