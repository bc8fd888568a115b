namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>Lists of strings and enum names as the codecs store them, read back with bounds and clear errors.</summary>
internal static class SectionValues
{
    /// <summary>A count, then each string.</summary>
    public static void WriteStrings(ModelWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteInt32(values.Count);
        foreach (string value in values) writer.WriteString(value);
    }

    /// <summary>Reads what <see cref="WriteStrings"/> wrote: at most <paramref name="max"/> strings named <paramref name="what"/> in errors.</summary>
    public static string[] ReadStrings(ModelReader reader, int max, string what)
    {
        int count = reader.ReadInt32(0, max, $"the {what} count");
        if (count > reader.Remaining / 4) throw reader.Corrupt($"{count} {what}s cannot fit in {reader.Remaining} bytes");
        var values = new string[count];
        for (int i = 0; i < count; i++) values[i] = reader.ReadString(1 << 16);
        return values;
    }

    /// <summary>The enum value called <paramref name="name"/>, or a corrupt-file error.</summary>
    public static T Parse<T>(ModelReader reader, string name) where T : struct, Enum =>
        Enum.TryParse(name, out T value) && Enum.IsDefined(value) ? value : throw reader.Corrupt($"'{name}' is not a known {typeof(T).Name}");
}
