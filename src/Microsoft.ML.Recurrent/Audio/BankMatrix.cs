using System.Numerics.Tensors;

namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// A matrix [inputs, outputs] (a mel filter bank [bins, mels] or a DCT [mels, coefficients]) applied to vectors: out[k] =
/// sum_n x[n] * matrix[n, k], each output a dot product over the inputs from its first to its last nonzero weight only
/// (a mel filter's few bins), its weights stored contiguously.
/// </summary>
internal sealed class BankMatrix
{
    private readonly int _inputs;
    private readonly (int Start, double[] Weights)[] _columns;

    public BankMatrix(double[,] matrix)
    {
        _inputs = matrix.GetLength(0);
        _columns = new (int, double[])[matrix.GetLength(1)];
        for (int k = 0; k < _columns.Length; k++)
        {
            int first = 0, last = _inputs - 1;
            while (first < _inputs && matrix[first, k] == 0) first++;
            while (last >= first && matrix[last, k] == 0) last--;
            _columns[k] = (first, [.. Enumerable.Range(first, last - first + 1).Select(n => matrix[n, k])]);
        }
    }

    /// <summary>Writes the outputs into the first values of <paramref name="result"/> from the first inputs of <paramref name="x"/>.</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> result)
    {
        if (x.Length < _inputs || result.Length < _columns.Length)
            throw new ArgumentException($"A [{_inputs}, {_columns.Length}] matrix needs {_inputs} inputs and room for {_columns.Length} outputs; got {x.Length} and {result.Length}.");
        for (int k = 0; k < _columns.Length; k++)
        {
            (int start, double[] weights) = _columns[k];
            result[k] = TensorPrimitives.Dot(x.Slice(start, weights.Length), weights);
        }
    }
}
