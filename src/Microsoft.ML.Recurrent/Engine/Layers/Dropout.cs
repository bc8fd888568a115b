using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Inverted dropout on packed rows [N, F]: kept values are scaled by 1/(1-p) so inference is the
/// identity. Standard dropout draws a mask per element; variational (locked) dropout (Gal and
/// Ghahramani 2016) draws one mask per sequence and feature and reuses it at every step, which is
/// the form that regularizes recurrent networks without disrupting their memory.
/// </summary>
public sealed class Dropout
{
    private float[] _mask = [], _perSequence = [];
    private int _rows;

    /// <summary>Creates the layer.</summary>
    /// <param name="probability">Drop probability p in [0, 1).</param>
    /// <param name="variational">One mask per sequence shared over time (true) or per element (false).</param>
    public Dropout(float probability, bool variational = false)
    {
        if (!(probability >= 0f && probability < 1f)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "The dropout probability must be in [0, 1).");
        Probability = probability;
        Variational = variational;
    }

    /// <summary>p.</summary>
    public float Probability { get; }

    /// <summary>Whether the mask is shared across the steps of a sequence.</summary>
    public bool Variational { get; }

    /// <summary>
    /// Applies dropout when <paramref name="training"/> (identity otherwise); output may alias input.
    /// </summary>
    /// <param name="layout">Layout of the packed rows.</param>
    /// <param name="input">[N, F].</param>
    /// <param name="features">F.</param>
    /// <param name="output">[N, F].</param>
    /// <param name="training">Whether to drop.</param>
    /// <param name="random">Mask source.</param>
    public void Forward(SequenceLayout layout, ReadOnlySpan<float> input, int features, Span<float> output, bool training, Random random)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int n = layout.TotalSteps;
        if (input.Length != n * features || output.Length != input.Length)
            throw new ArgumentException($"input and output must hold {n * features} values ([N={n}, F={features}]); they hold {input.Length} and {output.Length}.");
        _rows = n * features;
        if (!training || Probability == 0f) { _mask = []; input.CopyTo(output); return; }
        if (_mask.Length < n * features) _mask = new float[n * features];
        float keep = 1f / (1f - Probability);
        if (Variational)
        {
            if (_perSequence.Length < layout.BatchSize * features) _perSequence = new float[layout.BatchSize * features];
            Span<float> perSequence = _perSequence.AsSpan(0, layout.BatchSize * features);
            for (int i = 0; i < perSequence.Length; i++) perSequence[i] = random.NextSingle() < Probability ? 0f : keep;
            for (int t = 0; t < layout.MaxLength; t++)
                for (int b = 0; b < layout.BatchSizes[t]; b++)
                    perSequence.Slice(b * features, features).CopyTo(_mask.AsSpan(layout.Row(t, b) * features, features));
        }
        else
            for (int i = 0; i < n * features; i++) _mask[i] = random.NextSingle() < Probability ? 0f : keep;
        System.Numerics.Tensors.TensorPrimitives.Multiply(input, _mask.AsSpan(0, n * features), output);
    }

    /// <summary>dInput = dOutput * mask of the last forward call (may alias).</summary>
    public void Backward(ReadOnlySpan<float> dOutput, Span<float> dInput)
    {
        if (dOutput.Length != _rows || dInput.Length != _rows)
            throw new ArgumentException($"Backward expects {_rows} values like the last forward call; got {dOutput.Length} and {dInput.Length}.");
        if (_mask.Length == 0) dOutput.CopyTo(dInput);
        else System.Numerics.Tensors.TensorPrimitives.Multiply(dOutput, _mask.AsSpan(0, _rows), dInput);
    }
}
