namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// Settings stored by name (count, then per entry: name, type code, value), so that a setting added
/// later is not a format break: a file without it reads the default, and a file from a newer library
/// with a setting this one does not know fails with a message that names it.
/// </summary>
internal sealed class NamedValues
{
    private enum Code : byte { Int32 = 1, Single = 2, Boolean = 3, String = 4 }

    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Adds an integer.</summary>
    public NamedValues Add(string name, int value) { _values.Add(name, value); return this; }

    /// <summary>Adds a float.</summary>
    public NamedValues Add(string name, float value) { _values.Add(name, value); return this; }

    /// <summary>Adds a Boolean.</summary>
    public NamedValues Add(string name, bool value) { _values.Add(name, value); return this; }

    /// <summary>Adds a text.</summary>
    public NamedValues Add(string name, string value) { _values.Add(name, value); return this; }

    /// <summary>Writes every entry.</summary>
    public void Write(ModelWriter writer)
    {
        writer.WriteInt32(_values.Count);
        foreach ((string name, object value) in _values)
        {
            writer.WriteString(name);
            switch (value)
            {
                case int i: writer.WriteByte((byte)Code.Int32); writer.WriteInt32(i); break;
                case float f: writer.WriteByte((byte)Code.Single); writer.WriteSingle(f); break;
                case bool b: writer.WriteByte((byte)Code.Boolean); writer.WriteBoolean(b); break;
                default: writer.WriteByte((byte)Code.String); writer.WriteString((string)value); break;
            }
        }
    }

    /// <summary>Reads the entries written by <see cref="Write"/>.</summary>
    public static NamedValues Read(ModelReader reader)
    {
        var values = new NamedValues();
        int count = reader.ReadInt32(0, 1024, "the number of named values");
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString(256);
            object value = (Code)reader.ReadByte() switch
            {
                Code.Int32 => reader.ReadInt32(),
                Code.Single => reader.ReadSingle(),
                Code.Boolean => reader.ReadBoolean(),
                Code.String => reader.ReadString(),
                var code => throw reader.Corrupt($"value '{name}' has the unknown type code {(byte)code}"),
            };
            if (!values._values.TryAdd(name, value)) throw reader.Corrupt($"value '{name}' appears twice");
        }
        return values;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int Int32(ModelReader reader, string name, int min, int max, int? fallback = null)
    {
        int value = Get(reader, name, fallback);
        if (value < min || value > max) throw reader.Corrupt($"'{name}' is {value}, outside [{min}, {max}]");
        return value;
    }

    /// <summary>A finite float, or <paramref name="fallback"/> when absent.</summary>
    public float Single(ModelReader reader, string name, float? fallback = null)
    {
        float value = Get(reader, name, fallback);
        if (!float.IsFinite(value)) throw reader.Corrupt($"'{name}' is {value}");
        return value;
    }

    /// <summary>A Boolean, or <paramref name="fallback"/> when absent.</summary>
    public bool Boolean(ModelReader reader, string name, bool? fallback = null) => Get(reader, name, fallback);

    /// <summary>A text, or <paramref name="fallback"/> when absent.</summary>
    public string String(ModelReader reader, string name, string? fallback = null) =>
        _values.TryGetValue(name, out object? value) ? Mark(name, value as string ?? throw reader.Corrupt($"'{name}' is not a text"))
            : fallback ?? throw reader.Corrupt($"the required value '{name}' is missing");

    /// <summary>Throws when the file holds a value nothing read: a setting of a newer library whose meaning this one cannot know.</summary>
    public void ExpectAllRead(ModelReader reader, string what)
    {
        string[] unknown = [.. _values.Keys.Where(k => !_read.Contains(k))];
        if (unknown.Length > 0)
            throw new InvalidDataException($"The {what} uses settings this version of Microsoft.ML.Recurrent does not know ({string.Join(", ", unknown)}); load it with the newer library that wrote it.");
    }

    private T Get<T>(ModelReader reader, string name, T? fallback) where T : struct
    {
        if (!_values.TryGetValue(name, out object? value))
            return fallback ?? throw reader.Corrupt($"the required value '{name}' is missing");
        return value is T typed ? Mark(name, typed) : throw reader.Corrupt($"'{name}' has type {value.GetType().Name}, not {typeof(T).Name}");
    }

    private T Mark<T>(string name, T value)
    {
        _read.Add(name);
        return value;
    }
}
