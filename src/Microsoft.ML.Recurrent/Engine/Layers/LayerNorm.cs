using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Layer normalization over the last dimension (PyTorch <c>nn.LayerNorm</c>):
/// <c>y = (x - mean) / sqrt(var + eps) * weight + bias</c> per row, with the biased variance.
/// </summary>
public sealed class LayerNorm
{
    private float[] _mean = [], _rstd = [];

    /// <summary>Creates the layer with weight 1 and bias 0.</summary>
    public LayerNorm(int features, float epsilon = 1e-5f, string namePrefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Features = features;
        Epsilon = epsilon;
        Weight = new Parameter(namePrefix + "weight", features);
        Bias = new Parameter(namePrefix + "bias", features);
        Array.Fill(Weight.Value, 1f);
        Parameters = [Weight, Bias];
    }

    /// <summary>F.</summary>
    public int Features { get; }

    /// <summary>Variance guard.</summary>
    public float Epsilon { get; }

    /// <summary>Scale [F].</summary>
    public Parameter Weight { get; }

    /// <summary>Shift [F].</summary>
    public Parameter Bias { get; }

    /// <summary>Weight and bias.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Normalizes each row of x [R, F] into y [R, F].</summary>
    public void Forward(int rows, ReadOnlySpan<float> x, Span<float> y)
    {
        int f = Features;
        if (x.Length != rows * f || y.Length != x.Length) throw new ArgumentException($"x and y must hold {rows * f} values ([R={rows}, F={f}]).");
        if (_mean.Length < rows) { _mean = new float[rows]; _rstd = new float[rows]; }
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * f, f);
            double mean = 0, variance = 0;
            foreach (float v in xr) mean += v;
            mean /= f;
            foreach (float v in xr) variance += (v - mean) * (v - mean);
            variance /= f;
            float rstd = (float)(1 / Math.Sqrt(variance + Epsilon));
            _mean[r] = (float)mean; _rstd[r] = rstd;
            for (int j = 0; j < f; j++) y[r * f + j] = (xr[j] - (float)mean) * rstd * Weight.Value[j] + Bias.Value[j];
        }
    }

    /// <summary>Backpropagates the last forward call: writes dx and accumulates the parameter gradients.</summary>
    public void Backward(int rows, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int f = Features;
        if (x.Length != rows * f || dy.Length != x.Length || dx.Length != x.Length) throw new ArgumentException($"x, dy and dx must hold {rows * f} values ([R={rows}, F={f}]).");
        for (int r = 0; r < rows; r++)
        {
            float mean = _mean[r], rstd = _rstd[r];
            double sumG = 0, sumGx = 0;
            for (int j = 0; j < f; j++)
            {
                float xhat = (x[r * f + j] - mean) * rstd, g = dy[r * f + j] * Weight.Value[j];
                Weight.Gradient[j] += dy[r * f + j] * xhat;
                Bias.Gradient[j] += dy[r * f + j];
                sumG += g;
                sumGx += g * xhat;
            }
            float meanG = (float)(sumG / f), meanGx = (float)(sumGx / f);
            for (int j = 0; j < f; j++)
            {
                float xhat = (x[r * f + j] - mean) * rstd, g = dy[r * f + j] * Weight.Value[j];
                dx[r * f + j] = rstd * (g - meanG - xhat * meanGx);
            }
        }
    }
}
