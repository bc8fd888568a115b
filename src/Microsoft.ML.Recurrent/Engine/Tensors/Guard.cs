using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

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
        if (AllFinite(values)) return;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] is {values[i]}; inputs must be finite numbers.", name);
        }
    }

    /// <summary>
    /// Whether no value has the all-ones exponent of NaN and infinity, eight at a time (a batch's input is checked on
    /// every inference call, so the scan is kept to a fraction of a percent of the pass).
    /// </summary>
    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        const uint exponent = 0x7F800000u;
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
        var mask = Vector256.Create(exponent);
        var bad = Vector256<uint>.Zero;
        int i = 0;
        for (; i <= bits.Length - 8; i += 8)
            bad |= Vector256.Equals(Vector256.Create(bits.Slice(i)) & mask, mask);
        if (bad != Vector256<uint>.Zero) return false;
        for (; i < bits.Length; i++)
            if ((bits[i] & exponent) == exponent) return false;
        return true;
    }
}
