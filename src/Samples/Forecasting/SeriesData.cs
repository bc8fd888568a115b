using System.Globalization;

namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>Reads a series from a CSV column, generates the default one, and turns a series into model inputs.</summary>
internal static class SeriesData
{
    /// <summary>
    /// The values of column <paramref name="column"/> (default: the last column) of a CSV with a header
    /// row, e.g. airline-passengers.csv (Passengers) or bike-sharing-day.csv (cnt).
    /// </summary>
    public static double[] LoadCsv(string file, string? column)
    {
        string[] lines = [.. File.ReadLines(file).Where(l => l.Trim().Length > 0)];
        if (lines.Length < 2) throw new InvalidDataException($"{file}: expected a header row and values.");
        string[] header = [.. lines[0].Split(',').Select(h => h.Trim().Trim('"'))];
        int index = column is null ? header.Length - 1 : Array.IndexOf(header, column);
        if (index < 0) throw new InvalidDataException($"{file}: no column '{column}' (columns: {string.Join(", ", header)}).");
        var values = new double[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            string[] cells = lines[i].Split(',');
            string cell = index < cells.Length ? cells[index].Trim().Trim('"') : "";
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i - 1]) || !double.IsFinite(values[i - 1]) || values[i - 1] < 0)
                throw new InvalidDataException($"{file}:{i + 1}: column '{header[index]}' holds '{cell}'; expected a non-negative number.");
        }
        return values;
    }

    /// <summary>A monthly-style series with growth, yearly seasonality that grows with the level, and noise.</summary>
    public static double[] Generate(int length, int season, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(t =>
            100 * Math.Exp(0.01 * t) * (1 + 0.2 * Math.Sin(2 * Math.PI * t / season) + 0.1 * Math.Cos(4 * Math.PI * t / season)) * (1 + 0.03 * (random.NextDouble() - 0.5)))];
    }

    /// <summary>The model input that predicts <paramref name="series"/>[<paramref name="t"/>] from the window before it.</summary>
    public static ModelInput At(IReadOnlyList<double> series, int t)
    {
        if (t < ModelInput.Window) throw new ArgumentOutOfRangeException(nameof(t), t, $"A forecast needs {ModelInput.Window} earlier values.");
        double last = Math.Log(1 + series[t - 1]);
        var input = new ModelInput { Label = (float)(Math.Log(1 + series[t]) - last) };
        for (int k = 0; k < ModelInput.Window; k++) input.History[k] = (float)(Math.Log(1 + series[t - ModelInput.Window + k]) - last);
        return input;
    }

    /// <summary>Turns a predicted log-ratio back into a value, given the last observed value.</summary>
    public static double FromRatio(double lastValue, float logRatio) => Math.Exp(Math.Log(1 + lastValue) + logRatio) - 1;
}
