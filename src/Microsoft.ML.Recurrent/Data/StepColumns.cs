using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Output columns with one value per step of a row, as ML.NET users expect them from a sequence model:
/// a key vector carrying the label's KeyValues (so <c>MapKeyToValue</c> turns predicted tags back into
/// strings), a Single vector (per-step confidence, or T*K scores), or text (a transcript).
/// </summary>
internal static class StepColumns
{
    /// <summary>Adds a variable-length vector of keys over <paramref name="keyCount"/> values, with their names when given.</summary>
    public static void AddKeyVector(DataViewSchema.Builder builder, string name, int keyCount, IReadOnlyList<string>? keyValues)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        if (keyValues is not null)
        {
            if (keyValues.Count != keyCount) throw new ArgumentException($"{keyValues.Count} key values for {keyCount} keys.", nameof(keyValues));
            ReadOnlyMemory<char>[] values = [.. keyValues.Select(v => v.AsMemory())];
            annotations.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, keyCount),
                (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(keyCount, values)));
        }
        builder.AddColumn(name, new VectorDataViewType(new KeyDataViewType(typeof(uint), keyCount)), annotations.ToAnnotations());
    }

    /// <summary>Adds a variable-length vector of Single.</summary>
    public static void AddFloatVector(DataViewSchema.Builder builder, string name) =>
        builder.AddColumn(name, new VectorDataViewType(NumberDataViewType.Single));

    /// <summary>Adds a text column.</summary>
    public static void AddText(DataViewSchema.Builder builder, string name) => builder.AddColumn(name, TextDataViewType.Instance);

    /// <summary>A getter of the key vector of class indices (0-based; key = index + 1) that <paramref name="values"/> returns for the current row.</summary>
    public static ValueGetter<VBuffer<uint>> KeyVector(Func<ReadOnlyMemory<int>> values) => (ref VBuffer<uint> value) =>
    {
        ReadOnlySpan<int> classes = values().Span;
        var editor = VBufferEditor.Create(ref value, classes.Length);
        for (int i = 0; i < classes.Length; i++) editor.Values[i] = (uint)classes[i] + 1;
        value = editor.Commit();
    };

    /// <summary>A getter of the Single vector that <paramref name="values"/> returns for the current row.</summary>
    public static ValueGetter<VBuffer<float>> FloatVector(Func<ReadOnlyMemory<float>> values) => (ref VBuffer<float> value) =>
    {
        ReadOnlySpan<float> source = values().Span;
        var editor = VBufferEditor.Create(ref value, source.Length);
        source.CopyTo(editor.Values);
        value = editor.Commit();
    };

    /// <summary>A getter of the text that <paramref name="text"/> returns for the current row.</summary>
    public static ValueGetter<ReadOnlyMemory<char>> Text(Func<string> text) => (ref ReadOnlyMemory<char> value) => value = text().AsMemory();
}
