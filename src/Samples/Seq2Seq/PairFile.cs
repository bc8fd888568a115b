namespace Microsoft.ML.Recurrent.Samples.Seq2Seq;

/// <summary>Reads <c>source&lt;TAB&gt;target</c> files, one pair per line (several lines with one source are alternative references).</summary>
internal static class PairFile
{
    public static List<(string Source, string Target)> Read(IEnumerable<string> files)
    {
        var pairs = new List<(string, string)>();
        foreach (string file in files)
        {
            int number = 0;
            foreach (string line in File.ReadLines(file))
            {
                number++;
                if (line.Length == 0) continue;
                int tab = line.IndexOf('\t');
                if (tab <= 0 || tab == line.Length - 1 || line.IndexOf('\t', tab + 1) >= 0)
                    throw new InvalidDataException($"{file}:{number}: expected 'source<TAB>target', found '{(line.Length > 60 ? line[..60] + "..." : line)}'.");
                pairs.Add((line[..tab], line[(tab + 1)..]));
            }
        }
        if (pairs.Count == 0) throw new InvalidDataException($"{string.Join(", ", files)}: no pairs.");
        return pairs;
    }
}
