namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// A named trainable tensor with its gradient, in PyTorch's naming and row-major layout
/// (e.g. <c>weight_ih_l0</c> is [G*H, I]). Backward passes accumulate into <see cref="Gradient"/>;
/// optimizers read it and update <see cref="Value"/>.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a zero-initialized parameter.</summary>
    public Parameter(string name, params int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(shape), $"Parameter '{name}' has negative dimension {d}.");
            size *= d;
        }
        Name = name;
        Shape = shape.ToArray();
        Value = new float[size];
        Gradient = new float[size];
    }

    /// <summary>PyTorch-style name, unique within a model.</summary>
    public string Name { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Current values, row-major.</summary>
    public float[] Value { get; }

    /// <summary>Accumulated gradient, same layout as <see cref="Value"/>.</summary>
    public float[] Gradient { get; }

    /// <summary>Number of elements.</summary>
    public int Size => Value.Length;

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGradient() => Array.Clear(Gradient);

    /// <summary>Copies <paramref name="values"/> into <see cref="Value"/> after checking the size.</summary>
    public void Load(ReadOnlySpan<float> values)
    {
        if (values.Length != Value.Length)
            throw new ArgumentException($"Parameter '{Name}' [{string.Join(", ", Shape)}] holds {Value.Length} values; got {values.Length}.", nameof(values));
        values.CopyTo(Value);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
