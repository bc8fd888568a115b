using System.Runtime.Intrinsics;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Initializers;

/// <summary>
/// Weight initializers. Each fills a parameter's values in place from a seeded <see cref="Random"/>,
/// treating the parameter as a matrix [rows = Shape[0], columns = product of the other dims].
/// </summary>
public static class Initializer
{
    /// <summary>Uniform in [-bound, bound] (PyTorch's RNN default uses bound = 1/sqrt(H)).</summary>
    public static void Uniform(Parameter p, float bound, Random random)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < p.Size; i++) p.Value[i] = (float)((random.NextDouble() * 2 - 1) * bound);
    }

    /// <summary>Normal with mean 0 and standard deviation <paramref name="std"/> (Box-Muller).</summary>
    public static void Normal(Parameter p, float std, Random random)
    {
        ArgumentNullException.ThrowIfNull(p);
        for (int i = 0; i < p.Size; i++) p.Value[i] = (float)(std * StandardNormal(random));
    }

    /// <summary>Xavier/Glorot uniform: bound = gain * sqrt(6 / (fanIn + fanOut)).</summary>
    public static void XavierUniform(Parameter p, Random random, float gain = 1f)
    {
        (int fanOut, int fanIn) = Fans(p);
        Uniform(p, gain * MathF.Sqrt(6f / (fanIn + fanOut)), random);
    }

    /// <summary>He/Kaiming normal for ReLU layers: std = sqrt(2 / fanIn).</summary>
    public static void HeNormal(Parameter p, Random random)
    {
        (_, int fanIn) = Fans(p);
        Normal(p, MathF.Sqrt(2f / fanIn), random);
    }

    /// <summary>
    /// Orthogonal initialization (Saxe et al.): each [H, H] block of the rows (one block per gate) is
    /// set to a random orthogonal matrix times <paramref name="gain"/>, by Gram-Schmidt on Gaussian rows.
    /// For a non-square parameter the rows (or columns) are orthonormal.
    /// </summary>
    public static void Orthogonal(Parameter p, Random random, float gain = 1f, int blocks = 1)
    {
        (int rows, int cols) = Fans(p);
        if (rows % blocks != 0) throw new ArgumentException($"Parameter '{p.Name}' has {rows} rows, not divisible into {blocks} blocks.", nameof(blocks));
        int blockRows = rows / blocks;
        for (int k = 0; k < blocks; k++)
        {
            // Orthonormalize along the longer side so the set is always full rank.
            bool transpose = blockRows > cols;
            int m = transpose ? cols : blockRows, n = transpose ? blockRows : cols;
            // Rows of q one after another; the same operations in the same order as an element-by-element Gram-Schmidt, so the
            // same bits, with the subtractions (independent per element) four at a time.
            var q = new double[m * n];
            for (int i = 0; i < m; i++)
            {
                Span<double> row = q.AsSpan(i * n, n);
                for (int j = 0; j < n; j++) row[j] = StandardNormal(random);
                for (int pass = 0; pass < 2; pass++)
                    for (int r = 0; r < i; r++)
                    {
                        ReadOnlySpan<double> basis = q.AsSpan(r * n, n);
                        double dot = 0;
                        for (int j = 0; j < n; j++) dot += row[j] * basis[j];
                        SubtractScaled(row, basis, dot);
                    }
                double norm = 0;
                for (int j = 0; j < n; j++) norm += row[j] * row[j];
                norm = Math.Sqrt(norm);
                for (int j = 0; j < n; j++) row[j] /= norm;
            }
            for (int i = 0; i < blockRows; i++)
                for (int j = 0; j < cols; j++)
                    p.Value[(k * blockRows + i) * cols + j] = (float)(gain * (transpose ? q[j * n + i] : q[i * n + j]));
        }
    }

    /// <summary>row[j] -= scale * basis[j], rounded after the product and after the difference as the scalar expression is.</summary>
    private static void SubtractScaled(Span<double> row, ReadOnlySpan<double> basis, double scale)
    {
        int j = 0;
        Vector256<double> factor = Vector256.Create(scale);
        for (; j <= row.Length - Vector256<double>.Count; j += Vector256<double>.Count)
            (Vector256.Create(row.Slice(j, Vector256<double>.Count)) - factor * Vector256.Create(basis.Slice(j, Vector256<double>.Count))).CopyTo(row.Slice(j));
        for (; j < row.Length; j++) row[j] -= scale * basis[j];
    }

    /// <summary>Identity times <paramref name="gain"/> in each [H, H] block (IRNN's recurrent weight).</summary>
    public static void Identity(Parameter p, float gain = 1f)
    {
        (int rows, int cols) = Fans(p);
        Array.Clear(p.Value);
        for (int i = 0; i < rows; i++) p.Value[i * cols + i % cols] = gain;
    }

    /// <summary>Sets every value to <paramref name="value"/>.</summary>
    public static void Constant(Parameter p, float value) => Array.Fill(p.Value, value);

    /// <summary>Sets the LSTM forget-gate block (second quarter, gate order i,f,g,o) of a bias to <paramref name="value"/>.</summary>
    public static void ForgetGateBias(Parameter bias, float value)
    {
        if (bias.Shape.Count != 1 || bias.Size % 4 != 0)
            throw new ArgumentException($"'{bias.Name}' [{string.Join(", ", bias.Shape)}] is not an LSTM bias [4*H].", nameof(bias));
        int h = bias.Size / 4;
        Array.Fill(bias.Value, value, h, h);
    }

    /// <summary>A standard normal sample (Box-Muller).</summary>
    public static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static (int Rows, int Cols) Fans(Parameter p)
    {
        ArgumentNullException.ThrowIfNull(p);
        int rows = p.Shape.Count == 0 ? 1 : p.Shape[0];
        int cols = rows == 0 ? 0 : p.Size / rows;
        return (rows, Math.Max(cols, 1));
    }
}
