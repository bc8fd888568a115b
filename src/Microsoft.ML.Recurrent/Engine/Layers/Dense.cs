using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Fully connected layer <c>y = x W^T + b</c> (PyTorch <c>nn.Linear</c>): <c>weight</c> [O, I],
/// <c>bias</c> [O]. Works on any number of rows R.
/// </summary>
public sealed class Dense
{
    /// <summary>Creates the layer with zero weights (initialize them before training).</summary>
    public Dense(int inputSize, int outputSize, string namePrefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        InputSize = inputSize;
        OutputSize = outputSize;
        Weight = new Parameter(namePrefix + "weight", outputSize, inputSize);
        Bias = new Parameter(namePrefix + "bias", outputSize);
        Parameters = [Weight, Bias];
    }

    /// <summary>Creates the layer over an existing weight [O, I] (tied weights: e.g. a language model's output layer sharing its input embedding); only the bias is new.</summary>
    internal Dense(Parameter weight, string namePrefix)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Shape.Count != 2) throw new ArgumentException($"A dense weight is [O, I]; '{weight.Name}' has {weight.Shape.Count} dimensions.", nameof(weight));
        OutputSize = weight.Shape[0];
        InputSize = weight.Shape[1];
        Weight = weight;
        Bias = new Parameter(namePrefix + "bias", OutputSize);
        Parameters = [Weight, Bias];
    }

    /// <summary>I.</summary>
    public int InputSize { get; }

    /// <summary>O.</summary>
    public int OutputSize { get; }

    /// <summary><c>weight</c> [O, I].</summary>
    public Parameter Weight { get; }

    /// <summary><c>bias</c> [O].</summary>
    public Parameter Bias { get; }

    /// <summary>Weight and bias.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>y[R, O] = x[R, I] W^T + b.</summary>
    public void Forward(int rows, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(rows, x.Length, y.Length);
        Gemm.NT(rows, OutputSize, InputSize, x, InputSize, Weight.Value, InputSize, y, OutputSize, accumulate: false, rowBias: Bias.Value);
    }

    /// <summary>Accumulates dW, db from dy[R, O] and writes dx[R, I] (skipped when empty).</summary>
    public void Backward(int rows, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Check(rows, x.Length, dy.Length);
        Gemm.TN(OutputSize, InputSize, rows, dy, OutputSize, x, InputSize, Weight.Gradient, InputSize, accumulate: true);
        Gemm.AddColumnSums(rows, OutputSize, dy, OutputSize, Bias.Gradient);
        if (!dx.IsEmpty)
        {
            if (dx.Length != rows * InputSize) throw new ArgumentException($"dx must hold {rows * InputSize} values ([R={rows}, I={InputSize}]) but holds {dx.Length}.", nameof(dx));
            Gemm.NN(rows, InputSize, OutputSize, dy, OutputSize, Weight.Value, InputSize, dx, InputSize, accumulate: false);
        }
    }

    private void Check(int rows, int xLength, int yLength)
    {
        if (xLength != rows * InputSize) throw new ArgumentException($"x must hold {rows * InputSize} values ([R={rows}, I={InputSize}]) but holds {xLength}.", "x");
        if (yLength != rows * OutputSize) throw new ArgumentException($"y must hold {rows * OutputSize} values ([R={rows}, O={OutputSize}]) but holds {yLength}.", "y");
    }
}
