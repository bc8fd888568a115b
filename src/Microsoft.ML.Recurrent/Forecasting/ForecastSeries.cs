using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// A series in row order as a forecaster reads it: the value, then the past-only covariates, then the known-ahead
/// covariates, each a channel of Single values, checked to be finite (an error names the column and row).
/// </summary>
internal sealed class ForecastSeries
{
    private ForecastSeries(float[][] channels) => Channels = channels;

    /// <summary>[C][n]: channel 0 the value, then the past and the known covariates.</summary>
    public float[][] Channels { get; }

    /// <summary>Rows (observations).</summary>
    public int Length => Channels[0].Length;

    /// <summary>The value channel.</summary>
    public float[] Values => Channels[0];

    /// <summary>Reads every row of <paramref name="data"/>'s columns <paramref name="names"/> (value first).</summary>
    /// <param name="data">The rows in time order.</param>
    /// <param name="names">The value column, then the covariates.</param>
    public static ForecastSeries Read(IDataView data, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(data);
        DataViewSchema.Column[] columns = [.. names.Select(name => Find(data.Schema, name))];
        var values = new List<float>[columns.Length];
        for (int c = 0; c < columns.Length; c++) values[c] = [];
        using DataViewRowCursor cursor = data.GetRowCursor(columns);
        ValueGetter<float>[] getters = [.. columns.Select(cursor.GetGetter<float>)];
        float value = 0;
        long row = 0;
        while (cursor.MoveNext())
        {
            for (int c = 0; c < columns.Length; c++)
            {
                getters[c](ref value);
                if (!float.IsFinite(value))
                    throw new InvalidDataException($"Row {row} of column '{columns[c].Name}' is {value}; a forecaster's series and covariates must be finite (fill or drop missing values first).");
                values[c].Add(value);
            }
            row++;
        }
        return new ForecastSeries([.. values.Select(v => v.ToArray())]);
    }

    /// <summary>A series from channels already in memory (the forecasting engine's history).</summary>
    public static ForecastSeries FromChannels(float[][] channels) => new(channels);

    /// <summary>The column <paramref name="name"/>, checked to be Single.</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"The column '{name}' is not in the input schema (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
        if (column.Type != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(schema), $"The column '{name}' has type {column.Type}; a forecaster reads Single values, one per row (convert it with mlContext.Transforms.Conversion.ConvertType).");
        return column;
    }
}
