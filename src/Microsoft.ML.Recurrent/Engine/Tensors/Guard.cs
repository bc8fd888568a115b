namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>Argument checks shared by the engine; every message names the argument and the offending index.</summary>
internal static class Guard
{
    /// <summary>Throws when <paramref name="values"/> holds fewer than <paramref name="expected"/> floats.</summary>
    public static void Length(ReadOnlySpan<float> values, int expected, string name, string shape)
    {
        if (values.Length != expected)
            throw new ArgumentException($"{name} must hold {expected} values ({shape}) but holds {values.Length}.", name);
    }

    /// <summary>Throws on the first NaN or infinity in <paramref name="values"/>, naming its index.</summary>
    public static void Finite(ReadOnlySpan<float> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] is {values[i]}; inputs must be finite numbers.", name);
        }
    }
}
