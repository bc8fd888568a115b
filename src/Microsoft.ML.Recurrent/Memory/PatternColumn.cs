using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Memory;

/// <summary>Reads an associative memory's pattern column: a vector of Single of fixed size, finite values.</summary>
internal static class PatternColumn
{
    /// <summary>The column and its size N, or an error naming what was found.</summary>
    public static (DataViewSchema.Column Column, int Size) Check(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"The pattern column '{name}' is not in the input schema.");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n, Size: > 1 } vector || n != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(schema), $"The pattern column '{name}' is {column.Type}; an associative memory reads a vector of Single of fixed size (at least 2).");
        return (column, vector.Size);
    }

    /// <summary>A reader of the current row's pattern (binarized to +-1 when <paramref name="binary"/>), throwing on a non-finite value with the row.</summary>
    public static Func<float[]> Reader(DataViewRow row, DataViewSchema.Column column, int size, bool binary)
    {
        ValueGetter<VBuffer<float>> getter = row.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return () =>
        {
            getter(ref buffer);
            float[] values = new float[size];
            buffer.CopyTo(values);
            for (int i = 0; i < size; i++)
            {
                if (!float.IsFinite(values[i])) throw new InvalidDataException($"Row {row.Position} of the pattern column '{column.Name}' holds {values[i]} at index {i}; patterns must be finite.");
                if (binary) values[i] = values[i] > 0 ? 1f : -1f;
            }
            return values;
        };
    }

    /// <summary>Every row's pattern.</summary>
    public static List<float[]> ReadAll(IDataView data, DataViewSchema.Column column, int size, bool binary)
    {
        var patterns = new List<float[]>();
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        Func<float[]> read = Reader(cursor, column, size, binary);
        while (cursor.MoveNext()) patterns.Add(read());
        return patterns;
    }
}
