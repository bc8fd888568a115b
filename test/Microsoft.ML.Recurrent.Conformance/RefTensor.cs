using System.Text.Json;

namespace Microsoft.ML.Recurrent.Conformance;

/// <summary>A reference tensor <c>{"shape": [...], "data": [row-major]}</c> read from the JSON file, kept in float64.</summary>
public sealed record RefTensor(int[] Shape, double[] Data)
{
    /// <summary>Reads a tensor object.</summary>
    public static RefTensor Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("shape", out var s) || !e.TryGetProperty("data", out var d))
            throw new FormatException($"Expected a tensor object with 'shape' and 'data', found {e.ValueKind}.");
        int[] shape = s.EnumerateArray().Select(x => x.GetInt32()).ToArray();
        double[] data = d.EnumerateArray().Select(Json.Number).ToArray();
        long size = shape.Aggregate(1L, (a, b) => a * b);
        if (size != data.Length) throw new FormatException($"Tensor of shape [{string.Join(", ", shape)}] has {data.Length} values.");
        return new RefTensor(shape, data);
    }

    /// <summary>The data as float32.</summary>
    public float[] ToFloat() => Data.Select(x => (float)x).ToArray();
}

/// <summary>JSON helpers for the reference format.</summary>
public static class Json
{
    /// <summary>A number, or one of the strings "inf", "-inf", "nan".</summary>
    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString()!.Trim().ToLowerInvariant() switch
        {
            "inf" or "infinity" or "+inf" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            "nan" => double.NaN,
            var other => throw new FormatException($"'{other}' is not a number."),
        },
        _ => throw new FormatException($"Expected a number, found {e.ValueKind}."),
    };

    /// <summary>A required property.</summary>
    public static JsonElement Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v : throw new FormatException($"Missing property '{name}'.");

    /// <summary>A required tensor property.</summary>
    public static RefTensor Tensor(JsonElement e, string name) => RefTensor.Read(Get(e, name));

    /// <summary>A required integer property.</summary>
    public static int Int(JsonElement e, string name) => Get(e, name).GetInt32();

    /// <summary>A required integer array.</summary>
    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    /// <summary>A required array of integer arrays.</summary>
    public static int[][] IntLists(JsonElement e) => e.EnumerateArray().Select(Ints).ToArray();

    /// <summary>An optional boolean property.</summary>
    public static bool Bool(JsonElement e, string name, bool fallback = false) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;
}
