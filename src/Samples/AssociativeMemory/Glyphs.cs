namespace Microsoft.ML.Recurrent.Samples.AssociativeMemory;

/// <summary>Letters drawn from a 5x7 pixel font, scaled twice and centred on 16x16 bitmaps of +1 (ink) and -1 (paper).</summary>
internal static class Glyphs
{
    public const int Side = 16;

    private static readonly Dictionary<char, string[]> Font = new()
    {
        ['A'] = [" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"],
        ['C'] = [" ####", "#    ", "#    ", "#    ", "#    ", "#    ", " ####"],
        ['H'] = ["#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"],
        ['L'] = ["#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"],
        ['O'] = [" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
        ['T'] = ["#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "],
        ['X'] = ["#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"],
        ['Z'] = ["#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"],
    };

    public static IReadOnlyList<char> Letters => [.. Font.Keys];

    /// <summary>The 16x16 bitmap of <paramref name="letter"/>, row-major.</summary>
    public static float[] Draw(char letter)
    {
        float[] pixels = Enumerable.Repeat(-1f, Side * Side).ToArray();
        string[] rows = Font[letter];
        for (int r = 0; r < 7; r++)
            for (int c = 0; c < 5; c++)
                if (rows[r][c] == '#')
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++) pixels[(1 + 2 * r + dy) * Side + 3 + 2 * c + dx] = 1f;
        return pixels;
    }

    /// <summary>A copy with a share of the pixels flipped.</summary>
    public static float[] Noisy(float[] pixels, double fraction, Random random)
    {
        float[] copy = (float[])pixels.Clone();
        int[] order = [.. Enumerable.Range(0, copy.Length)];
        random.Shuffle(order);
        foreach (int i in order.Take((int)(fraction * copy.Length))) copy[i] = -copy[i];
        return copy;
    }

    /// <summary>A copy whose lower half is erased to paper.</summary>
    public static float[] HalfErased(float[] pixels)
    {
        float[] copy = (float[])pixels.Clone();
        Array.Fill(copy, -1f, Side * Side / 2, Side * Side / 2);
        return copy;
    }

    /// <summary>The bitmap as lines of '#' and '.'.</summary>
    public static string[] Lines(float[] pixels) =>
        [.. Enumerable.Range(0, Side).Select(r => new string([.. Enumerable.Range(0, Side).Select(c => pixels[r * Side + c] > 0 ? '#' : '.')]))];
}
