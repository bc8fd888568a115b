namespace Microsoft.ML.Recurrent.Training;

/// <summary>Which rows a trainer holds out for validation when it is given a fraction instead of validation data.</summary>
internal static class ValidationSplit
{
    /// <summary>Whether row <paramref name="row"/> belongs to the held-out <paramref name="fraction"/> (a seeded hash, stable across passes).</summary>
    public static bool HoldsOut(long row, int seed, float fraction)
    {
        ulong z = unchecked((ulong)row + (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53)) < fraction;
    }

    /// <summary>
    /// The row filters a trainer reads its data with: none when it was given validation data or no fraction, else
    /// the rows <see cref="HoldsOut"/> keeps for training and the ones it holds out.
    /// </summary>
    public static (Func<long, bool>? Train, Func<long, bool>? Validation) Filters(bool hasValidationData, float fraction, int seed)
    {
        if (hasValidationData || fraction <= 0) return (null, null);
        return (row => !HoldsOut(row, seed, fraction), row => HoldsOut(row, seed, fraction));
    }
}
