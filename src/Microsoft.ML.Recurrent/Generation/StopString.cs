using System.Text;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>Where generated text may be released when it must stop at a stop string that can arrive a piece at a time.</summary>
internal static class StopString
{
    /// <summary>
    /// With the stop string in <paramref name="text"/>: (its position, true). Otherwise (the length of the text
    /// less its longest suffix that could still grow into the stop string, false): text before that point is final.
    /// </summary>
    public static (int Safe, bool Stopped) Scan(StringBuilder text, string? stop)
    {
        if (stop is null) return (text.Length, false);
        string current = text.ToString();
        int at = current.IndexOf(stop, StringComparison.Ordinal);
        if (at >= 0) return (at, true);
        for (int keep = Math.Min(stop.Length - 1, current.Length); keep > 0; keep--)
            if (current.AsSpan(current.Length - keep).SequenceEqual(stop.AsSpan(0, keep))) return (current.Length - keep, false);
        return (current.Length, false);
    }
}
