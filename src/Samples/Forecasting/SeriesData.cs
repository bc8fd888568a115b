using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>A series as the sample uses it: the ML.NET data (rows in time order) and the same columns as arrays for the baselines.</summary>
/// <param name="Data">The rows, the value column first, then the covariates.</param>
/// <param name="Value">The series column.</param>
/// <param name="Known">Covariates known ahead.</param>
/// <param name="Past">Covariates observed up to the origin only.</param>
/// <param name="Columns">Every column's values by name.</param>
internal sealed record SeriesData(IDataView Data, string Value, string[] Known, string[] Past, IReadOnlyDictionary<string, float[]> Columns)
{
    /// <summary>Rows in the series.</summary>
    public int Length => Columns[Value].Length;

    /// <summary>The series values.</summary>
    public float[] Values => Columns[Value];

    /// <summary>
    /// Columns of a CSV with a header row (airline-passengers.csv: Passengers; bike-sharing-*.csv: cnt, with
    /// covariates such as hr, weekday, workingday, temp, hum, windspeed, weathersit), read by ML.NET's text loader.
    /// </summary>
    public static SeriesData FromCsv(MLContext ml, string file, string? column, string[] known, string[] past)
    {
        string header = File.ReadLines(file).FirstOrDefault() ?? throw new InvalidDataException($"{file}: the file is empty.");
        string[] names = [.. header.Split(',').Select(h => h.Trim().Trim('"'))];
        string value = column ?? names[^1];
        string[] wanted = [value, .. past, .. known];
        var loaderColumns = wanted.Select(name => Array.IndexOf(names, name) is int i and >= 0
            ? new TextLoader.Column(name, DataKind.Single, i)
            : throw new InvalidDataException($"{file}: no column '{name}' (columns: {string.Join(", ", names)}).")).ToArray();
        IDataView data = ml.Data.LoadFromTextFile(file, new TextLoader.Options { Columns = loaderColumns, HasHeader = true, Separators = [','], AllowQuoting = true });
        var columns = wanted.ToDictionary(name => name, name => data.GetColumn<float>(name).ToArray());
        for (int t = 0; t < columns[value].Length; t++)
            if (!float.IsFinite(columns[value][t]) || columns[value][t] < 0)
                throw new InvalidDataException($"{file}:{t + 2}: column '{value}' holds {columns[value][t].ToString(CultureInfo.InvariantCulture)}; expected a non-negative number.");
        return new SeriesData(data, value, known, past, columns);
    }

    /// <summary>A monthly-style series with growth, yearly seasonality that grows with the level, and noise (the run without flags).</summary>
    public static SeriesData Generate(MLContext ml, int length, int season, int seed)
    {
        var random = new Random(seed);
        float[] values = [.. Enumerable.Range(0, length).Select(t => (float)(
            100 * Math.Exp(0.01 * t) * (1 + 0.2 * Math.Sin(2 * Math.PI * t / season) + 0.1 * Math.Cos(4 * Math.PI * t / season)) * (1 + 0.03 * (random.NextDouble() - 0.5))))];
        IDataView data = ml.Data.LoadFromEnumerable(values.Select(v => new ValueRow { Value = v }));
        return new SeriesData(data, nameof(ValueRow.Value), [], [], new Dictionary<string, float[]> { [nameof(ValueRow.Value)] = values });
    }

    private sealed class ValueRow
    {
        public float Value { get; set; }
    }
}
