using System.Globalization;

namespace Microsoft.ML.Recurrent.Samples.Sentiment;

/// <summary>Reads sentiment files in the UCI / rt-polarity format: <c>sentence&lt;TAB&gt;label</c>, label 1 positive, 0 negative.</summary>
internal static class SentimentData
{
    /// <summary>The small set of sentences this sample ships (used when no --train is given).</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "Data");

    /// <summary>All examples of <paramref name="files"/>, in file and line order.</summary>
    public static List<ModelInput> Load(IEnumerable<string> files)
    {
        var rows = new List<ModelInput>();
        foreach (string file in files)
        {
            int lineNumber = 0;
            foreach (string line in File.ReadLines(file))
            {
                lineNumber++;
                if (line.Length == 0) continue;
                int tab = line.LastIndexOf('\t');
                string label = tab < 0 ? "" : line[(tab + 1)..].Trim();
                if (tab < 0 || label is not ("0" or "1"))
                    throw new InvalidDataException($"{file}:{lineNumber}: expected 'sentence<TAB>0|1', got '{line}'.");
                rows.Add(new ModelInput { Sentence = line[..tab].Trim(), Label = label == "1" });
            }
        }
        return rows;
    }

    /// <summary>Splits <paramref name="rows"/> into train and test parts by a seeded shuffle.</summary>
    public static (List<ModelInput> Train, List<ModelInput> Test) Split(List<ModelInput> rows, double testFraction, int seed)
    {
        var random = new Random(seed);
        ModelInput[] shuffled = [.. rows.OrderBy(_ => random.Next())];
        int test = (int)Math.Round(shuffled.Length * testFraction, MidpointRounding.AwayFromZero);
        return ([.. shuffled.Skip(test)], [.. shuffled.Take(test)]);
    }

    /// <summary>The label as the files write it.</summary>
    public static string Format(bool label) => (label ? 1 : 0).ToString(CultureInfo.InvariantCulture);
}
