using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>
/// Loads and stores for the cells' fused gate math: eight units at a time, or one (<c>count</c> = 1) for the tail,
/// which then goes through the same lane arithmetic, so every unit gets the same result at any position.
/// </summary>
internal static class Lanes
{
    /// <summary>The first <paramref name="count"/> (8 or 1) values; a single value is broadcast to every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ReadOnlySpan<float> source, int count) =>
        count == Vector256<float>.Count ? Vector256.Create(source.Slice(0, count)) : Vector256.Create(source[0]);

    /// <summary>Writes the first <paramref name="count"/> (8 or 1) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, Span<float> destination, int count)
    {
        if (count == Vector256<float>.Count) value.CopyTo(destination);
        else destination[0] = value.ToScalar();
    }
}
