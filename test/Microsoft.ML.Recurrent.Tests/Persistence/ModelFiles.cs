using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Sequences;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Persistence;

/// <summary>Small trained pipelines for the persistence tests.</summary>
internal static class ModelFiles
{
    /// <summary>Text -> words -> keys -> recurrent multiclass -> predicted word: ML.NET parts on both sides of ours.</summary>
    public static (ITransformer Model, IDataView Data) TextPipeline(MLContext ml, int epochs = 2, int hidden = 8)
    {
        IDataView data = ml.Data.LoadFromEnumerable(FirstWord(200, 1));
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = hidden, EmbeddingSize = 4, NumberOfEpochs = epochs, Bidirectional = true }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedWord", "PredictedLabel"));
        return (pipeline.Fit(data), data);
    }

    /// <summary>A tiny binary model on float frames, alone (no ML.NET transformers).</summary>
    public static (ITransformer Model, IDataView Data) TinyBinary(MLContext ml)
    {
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(30, 1));
        return (ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 2, NumberOfEpochs = 1 }).Fit(data), data);
    }

    /// <summary>The bytes of <paramref name="model"/> as a model file.</summary>
    public static byte[] Bytes(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.SaveRecurrentModel(model, schema, stream);
        return stream.ToArray();
    }

    /// <summary>Every value of every visible column of <paramref name="data"/>, as text, row by row.</summary>
    public static List<string> Dump(IDataView data, params string[] columns)
    {
        var rows = new List<string>();
        using DataViewRowCursor cursor = data.GetRowCursor(columns.Select(c => data.Schema[c]));
        var getters = columns.Select(c => Getter(cursor, data.Schema[c])).ToArray();
        while (cursor.MoveNext()) rows.Add(string.Join(" | ", getters.Select(g => g())));
        return rows;
    }

    private static Func<string> Getter(DataViewRow row, DataViewSchema.Column column)
    {
        Type raw = column.Type.RawType;
        if (raw == typeof(float)) { var g = row.GetGetter<float>(column); return () => { float v = 0; g(ref v); return BitConverter.SingleToInt32Bits(v).ToString(); }; }
        if (raw == typeof(bool)) { var g = row.GetGetter<bool>(column); return () => { bool v = false; g(ref v); return v.ToString(); }; }
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(column); return () => { uint v = 0; g(ref v); return v.ToString(); }; }
        if (raw == typeof(int)) { var g = row.GetGetter<int>(column); return () => { int v = 0; g(ref v); return v.ToString(); }; }
        if (raw == typeof(ReadOnlyMemory<char>)) { var g = row.GetGetter<ReadOnlyMemory<char>>(column); return () => { ReadOnlyMemory<char> v = default; g(ref v); return v.ToString(); }; }
        if (raw == typeof(VBuffer<float>)) { var g = row.GetGetter<VBuffer<float>>(column); return () => { VBuffer<float> v = default; g(ref v); return string.Join(",", v.DenseValues().Select(BitConverter.SingleToInt32Bits)); }; }
        if (raw == typeof(VBuffer<uint>)) { var g = row.GetGetter<VBuffer<uint>>(column); return () => { VBuffer<uint> v = default; g(ref v); return string.Join(",", v.DenseValues()); }; }
        if (raw == typeof(VBuffer<ReadOnlyMemory<char>>)) { var g = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column); return () => { VBuffer<ReadOnlyMemory<char>> v = default; g(ref v); return string.Join(",", v.DenseValues()); }; }
        throw new NotSupportedException(column.Type.ToString());
    }
}
