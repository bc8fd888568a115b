using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Sequence-wise batch normalization (Deep Speech 2): per feature, statistics over every step of every sequence
/// of the batch, which comes packed (no padding, so padded positions never count). Training normalizes with the
/// biased batch variance and updates the running statistics with the unbiased one,
/// running = (1 - momentum) running + momentum batch (PyTorch <c>BatchNorm1d</c>); inference uses the running ones.
/// <c>weight</c> (gamma) [F] starts at 1, <c>bias</c> (beta) [F] at 0. Sums run in float64.
/// </summary>
public sealed class SequenceBatchNorm
{
    private float[] _normalized = [];
    private double[] _inverseStd = [], _mean = [], _squares = [], _sumDy = [], _sumDyX = [], _scale = [];
    private int _rows;

    /// <summary>Creates the layer for <paramref name="features"/> features.</summary>
    public SequenceBatchNorm(int features, float epsilon = 1e-5f, float momentum = 0.1f, string namePrefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be > 0.");
        if (!(momentum is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1].");
        Features = features;
        Epsilon = epsilon;
        Momentum = momentum;
        Weight = new Parameter(namePrefix + "weight", features);
        Bias = new Parameter(namePrefix + "bias", features);
        Array.Fill(Weight.Value, 1f);
        RunningMean = new float[features];
        RunningVariance = Enumerable.Repeat(1f, features).ToArray();
        Parameters = [Weight, Bias];
    }

    /// <summary>F.</summary>
    public int Features { get; }

    /// <summary>Added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>Weight of the batch statistics in the running ones.</summary>
    public float Momentum { get; }

    /// <summary>gamma [F].</summary>
    public Parameter Weight { get; }

    /// <summary>beta [F].</summary>
    public Parameter Bias { get; }

    /// <summary>gamma and beta.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The running mean [F] (saved with a model, like the parameters).</summary>
    public float[] RunningMean { get; }

    /// <summary>The running (unbiased) variance [F].</summary>
    public float[] RunningVariance { get; }

    /// <summary>output [N, F] of input [N, F] (packed rows); training uses and records the batch statistics.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, bool training)
    {
        int f = Features;
        if (input.Length == 0 || input.Length % f != 0) throw new ArgumentException($"input must hold [N, F={f}] values with N >= 1 but holds {input.Length}.", nameof(input));
        Guard.Length(output, input.Length, nameof(output), $"[N, F={f}]");
        int n = input.Length / f;
        if (training && n < 2) throw new ArgumentException("Training batch normalization needs at least two steps in the batch (the unbiased variance).", nameof(input));
        _rows = n;
        Workspace.Grow(ref _normalized, n * f);
        Workspace.Grow(ref _inverseStd, f);
        Workspace.Grow(ref _mean, f);
        Workspace.Grow(ref _squares, f);
        Span<double> mean = _mean.AsSpan(0, f), inverse = _inverseStd.AsSpan(0, f);
        if (training)
        {
            Span<double> squares = _squares.AsSpan(0, f);
            BatchNormColumns.Sums(input, f, mean);
            for (int c = 0; c < f; c++) mean[c] /= n;
            BatchNormColumns.SquaredDeviations(input, f, mean, squares);
            for (int c = 0; c < f; c++)
            {
                RunningMean[c] = (float)((1 - Momentum) * RunningMean[c] + Momentum * mean[c]);
                RunningVariance[c] = (float)((1 - Momentum) * RunningVariance[c] + Momentum * squares[c] / (n - 1));
                inverse[c] = 1 / Math.Sqrt(squares[c] / n + Epsilon);
            }
        }
        else
            for (int c = 0; c < f; c++) { mean[c] = RunningMean[c]; inverse[c] = 1 / Math.Sqrt(RunningVariance[c] + Epsilon); }
        BatchNormColumns.Normalize(input, f, mean, inverse, Weight.Value, Bias.Value, _normalized.AsSpan(0, n * f), output);
    }

    /// <summary>Backpropagates a training forward call: accumulates dGamma and dBeta and writes dInput [N, F].</summary>
    public void Backward(ReadOnlySpan<float> dOutput, Span<float> dInput)
    {
        int f = Features, n = _rows;
        if (n == 0) throw new InvalidOperationException("Call Forward (training) before Backward.");
        Guard.Length(dOutput, n * f, nameof(dOutput), $"[N={n}, F={f}]");
        Guard.Length(dInput, n * f, nameof(dInput), $"[N={n}, F={f}]");
        Span<double> sumDy = Workspace.Grow(ref _sumDy, f).AsSpan(0, f), sumDyX = Workspace.Grow(ref _sumDyX, f).AsSpan(0, f), scale = Workspace.Grow(ref _scale, f).AsSpan(0, f);
        ReadOnlySpan<float> normalized = _normalized.AsSpan(0, n * f);
        BatchNormColumns.GradientSums(dOutput, normalized, f, sumDy, sumDyX);
        for (int c = 0; c < f; c++)
        {
            Bias.Gradient[c] += (float)sumDy[c];
            Weight.Gradient[c] += (float)sumDyX[c];
            scale[c] = Weight.Value[c] * _inverseStd[c] / n;
        }
        BatchNormColumns.InputGradient(dOutput, normalized, f, n, sumDy, sumDyX, scale, dInput);
    }
}
