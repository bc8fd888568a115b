using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// How an IDataView column is read as a sequence: a vector of keys is a sequence of token ids
/// (key k becomes id k; id 0 stands for a missing or unseen key), a vector of Single is a sequence
/// of frames of <see cref="FrameSize"/> floats (variable-length T*F, or fixed-length read as T steps).
/// </summary>
internal sealed class SequenceFeatureColumn
{
    private SequenceFeatureColumn(string name, int vocabularySize, int frameSize)
    {
        Name = name;
        VocabularySize = vocabularySize;
        FrameSize = frameSize;
    }

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>Key count + 1 for token columns (id 0 = unknown); 0 for frame columns.</summary>
    public int VocabularySize { get; }

    /// <summary>Whether the column holds token ids.</summary>
    public bool IsTokens => VocabularySize > 0;

    /// <summary>Floats per step for frame columns; 1 for token columns.</summary>
    public int FrameSize { get; }

    /// <summary>A column description restored from a saved model.</summary>
    public static SequenceFeatureColumn Create(string name, int vocabularySize, int frameSize) => new(name, vocabularySize, vocabularySize > 0 ? 1 : frameSize);

    /// <summary>Checks the column's type and works out the frame size.</summary>
    /// <param name="schema">Schema holding the column.</param>
    /// <param name="name">Column name.</param>
    /// <param name="frameSize">Floats per step, or 0 to infer it (the second dimension of a [0, F]-shaped vector, else 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or has a type that cannot be a sequence.</exception>
    public static SequenceFeatureColumn Bind(DataViewSchema schema, string name, int frameSize)
    {
        ArgumentNullException.ThrowIfNull(schema);
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"The feature column '{name}' is not in the input schema (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
        if (column.Type is not VectorDataViewType vector)
            throw TypeError(name, $"{column.Type}");
        if (vector.ItemType is KeyDataViewType key)
        {
            if (key.RawType != typeof(uint) || key.Count == 0 || key.Count >= int.MaxValue)
                throw TypeError(name, $"{column.Type}");
            return new SequenceFeatureColumn(name, (int)key.Count + 1, 1);
        }
        if (vector.ItemType != NumberDataViewType.Single) throw TypeError(name, $"{column.Type}");
        if (frameSize < 0) throw new ArgumentOutOfRangeException(nameof(frameSize), frameSize, "The frame size must be 0 (infer) or positive.");
        if (frameSize == 0) frameSize = vector.Dimensions.Length == 2 && vector.Dimensions[1] > 0 ? vector.Dimensions[1] : 1;
        if (vector.Size > 0 && vector.Size % frameSize != 0)
            throw new ArgumentOutOfRangeException(nameof(frameSize), frameSize, $"The feature column '{name}' holds {vector.Size} floats per row, which is not a whole number of frames of {frameSize}.");
        return new SequenceFeatureColumn(name, 0, frameSize);
    }

    /// <summary>The same check on an estimator's <see cref="SchemaShape"/>.</summary>
    public static void CheckShape(SchemaShape shape, string name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        SchemaShape.Column column = FindShape(shape, name) ??
            throw new ArgumentOutOfRangeException(nameof(name), name, $"The feature column '{name}' is not in the input schema (columns: {string.Join(", ", shape.Select(c => c.Name))}).");
        bool vector = column.Kind is SchemaShape.Column.VectorKind.Vector or SchemaShape.Column.VectorKind.VariableVector;
        bool keys = column.IsKey && column.ItemType.RawType == typeof(uint);
        if (!vector || !(keys || (!column.IsKey && column.ItemType == NumberDataViewType.Single)))
            throw TypeError(name, $"{column.Kind} of {column.ItemType}{(column.IsKey ? " keys" : "")}");
    }

    /// <summary>The last column of <paramref name="shape"/> named <paramref name="name"/> (the visible one), or null.</summary>
    public static SchemaShape.Column? FindShape(SchemaShape shape, string name)
    {
        SchemaShape.Column[] found = [.. shape.Where(c => c.Name == name)];
        return found.Length == 0 ? null : found[^1];
    }

    /// <summary>A reader of this column for the rows of <paramref name="row"/>'s cursor.</summary>
    public SequenceFeatureReader CreateReader(DataViewRow row) => new(this, row);

    private static ArgumentOutOfRangeException TypeError(string name, string type) => new(
        "schema", $"The feature column '{name}' has type {type}; a sequence column must be a vector of UInt32 keys with a known count (e.g. TokenizeIntoWords then MapValueToKey) or a vector of Single frames.");
}
