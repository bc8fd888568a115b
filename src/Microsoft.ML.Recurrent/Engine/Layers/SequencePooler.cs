namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>Pools packed rows [N, W] into one row per sequence [B, W], and back-propagates through it.</summary>
public sealed class SequencePooler
{
    private int[] _argMax = [];

    /// <summary>Creates a pooler.</summary>
    /// <param name="kind">The pooling.</param>
    /// <param name="directions">1, or 2 when the second half of each row belongs to a reverse direction.</param>
    public SequencePooler(SequencePooling kind, int directions)
    {
        if (directions is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(directions), directions, "directions must be 1 or 2.");
        Kind = kind;
        Directions = directions;
    }

    /// <summary>The pooling.</summary>
    public SequencePooling Kind { get; }

    /// <summary>Number of directions in each row.</summary>
    public int Directions { get; }

    /// <summary>pooled[b] = pool over t of rows[Row(t, b)].</summary>
    public void Forward(Tensors.SequenceLayout layout, ReadOnlySpan<float> rows, int width, Span<float> pooled)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int batch = layout.BatchSize;
        Tensors.Guard.Length(rows, layout.TotalSteps * width, nameof(rows), $"[N={layout.TotalSteps}, W={width}]");
        Tensors.Guard.Length(pooled, batch * width, nameof(pooled), $"[B={batch}, W={width}]");
        switch (Kind)
        {
            case SequencePooling.LastState:
                int half = width / Directions;
                for (int b = 0; b < batch; b++)
                {
                    rows.Slice(layout.Row(layout.Lengths[b] - 1, b) * width, half).CopyTo(pooled.Slice(b * width, half));
                    if (Directions == 2) rows.Slice(layout.Row(0, b) * width + half, half).CopyTo(pooled.Slice(b * width + half, half));
                }
                break;
            case SequencePooling.Max:
                if (_argMax.Length < batch * width) _argMax = new int[batch * width];
                for (int b = 0; b < batch; b++)
                {
                    Span<float> target = pooled.Slice(b * width, width);
                    Span<int> arg = _argMax.AsSpan(b * width, width);
                    int first = layout.Row(0, b);
                    rows.Slice(first * width, width).CopyTo(target);
                    arg.Fill(first);
                    for (int t = 1; t < layout.Lengths[b]; t++)
                    {
                        int row = layout.Row(t, b);
                        ReadOnlySpan<float> x = rows.Slice(row * width, width);
                        for (int w = 0; w < width; w++)
                            if (x[w] > target[w]) { target[w] = x[w]; arg[w] = row; }
                    }
                }
                break;
            case SequencePooling.Mean:
                for (int b = 0; b < batch; b++)
                {
                    Span<float> target = pooled.Slice(b * width, width);
                    target.Clear();
                    for (int t = 0; t < layout.Lengths[b]; t++)
                        System.Numerics.Tensors.TensorPrimitives.Add(target, rows.Slice(layout.Row(t, b) * width, width), target);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(target, 1f / layout.Lengths[b], target);
                }
                break;
            default:
                throw new InvalidOperationException($"Unknown pooling {Kind}.");
        }
    }

    /// <summary>Adds dLoss/drows implied by <paramref name="dPooled"/> [B, W] into <paramref name="dRows"/> [N, W] (for the last forward call's layout).</summary>
    public void Backward(Tensors.SequenceLayout layout, ReadOnlySpan<float> dPooled, int width, Span<float> dRows)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int batch = layout.BatchSize;
        Tensors.Guard.Length(dRows, layout.TotalSteps * width, nameof(dRows), $"[N={layout.TotalSteps}, W={width}]");
        Tensors.Guard.Length(dPooled, batch * width, nameof(dPooled), $"[B={batch}, W={width}]");
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> g = dPooled.Slice(b * width, width);
            switch (Kind)
            {
                case SequencePooling.LastState:
                    int half = width / Directions;
                    AddInto(dRows.Slice(layout.Row(layout.Lengths[b] - 1, b) * width, half), g[..half]);
                    if (Directions == 2) AddInto(dRows.Slice(layout.Row(0, b) * width + half, half), g[half..]);
                    break;
                case SequencePooling.Max:
                    for (int w = 0; w < width; w++) dRows[_argMax[b * width + w] * width + w] += g[w];
                    break;
                default:
                    float scale = 1f / layout.Lengths[b];
                    for (int t = 0; t < layout.Lengths[b]; t++)
                    {
                        Span<float> target = dRows.Slice(layout.Row(t, b) * width, width);
                        for (int w = 0; w < width; w++) target[w] += scale * g[w];
                    }
                    break;
            }
        }
    }

    private static void AddInto(Span<float> target, ReadOnlySpan<float> value) =>
        System.Numerics.Tensors.TensorPrimitives.Add(target, value, target);
}
