using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// How an IDataView column is read as a sequence: a vector of keys is a sequence of token ids
/// (key k becomes id k; id 0 stands for a missing or unseen key), a vector of Single is a sequence
/// of frames of <see cref="FrameSize"/> floats (variable-length T*F, or fixed-length read as T steps).
/// </summary>
internal sealed class SequenceFeatureColumn
{
    private SequenceFeatureColumn(string name, int vocabularySize, int frameSize, int fixedSize)
    {
        Name = name;
        VocabularySize = vocabularySize;
        FrameSize = frameSize;
        FixedSize = fixedSize;
    }

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>Key count + 1 for token columns (id 0 = unknown); 0 for frame columns.</summary>
    public int VocabularySize { get; }

    /// <summary>Whether the column holds token ids.</summary>
    public bool IsTokens => VocabularySize > 0;

    /// <summary>Floats per step for frame columns; 1 for token columns.</summary>
    public int FrameSize { get; }

    /// <summary>Values per row of a fixed-size vector column (a window of T*F floats, or T keys); 0 for variable-length columns.</summary>
    public int FixedSize { get; }

    /// <summary>Whether the column is a plain variable-length Single vector read as one float per step because no frame size was given or shaped.</summary>
    public bool IsScalarSteps { get; private init; }

    /// <summary>A column description restored from a saved model.</summary>
    public static SequenceFeatureColumn Create(string name, int vocabularySize, int frameSize, int fixedSize = 0) =>
        new(name, vocabularySize, vocabularySize > 0 ? 1 : frameSize, fixedSize);

    /// <summary>
    /// Throws when <paramref name="column"/> (bound at scoring time) cannot be read as this trained column:
    /// another kind or vocabulary, another frame size, or a fixed window of another size.
    /// </summary>
    public void CheckMatches(SequenceFeatureColumn column)
    {
        if (column.VocabularySize != VocabularySize || column.FrameSize != FrameSize)
            throw new ArgumentOutOfRangeException("inputSchema", $"The column '{Name}' does not match what the model was trained on: "
                + $"{Describe(column)} here, {Describe(this)} in training. Apply the same featurization pipeline that produced the training column.");
        if (FixedSize > 0 && column.FixedSize > 0 && column.FixedSize != FixedSize)
            throw new ArgumentOutOfRangeException("inputSchema", $"The column '{Name}' holds {column.FixedSize} values per row; the model was trained on windows of {FixedSize} ({FixedSize / FrameSize} steps of {FrameSize}). Cut windows of the training length.");
    }

    private static string Describe(SequenceFeatureColumn column) => column.IsTokens
        ? $"token keys with {column.VocabularySize - 1} values"
        : $"frames of {column.FrameSize} floats";

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
            return new SequenceFeatureColumn(name, (int)key.Count + 1, 1, vector.Size);
        }
        if (vector.ItemType != NumberDataViewType.Single) throw TypeError(name, $"{column.Type}");
        if (frameSize < 0) throw new ArgumentOutOfRangeException(nameof(frameSize), frameSize, "The frame size must be 0 (infer) or positive.");
        bool shaped = vector.Dimensions.Length == 2 && vector.Dimensions[1] > 0;
        if (shaped && frameSize != 0 && frameSize != vector.Dimensions[1])
            throw new ArgumentOutOfRangeException(nameof(frameSize), frameSize, $"The feature column '{name}' is shaped [{string.Join(", ", vector.Dimensions)}], frames of {vector.Dimensions[1]} floats, but FrameSize is {frameSize}. Leave FrameSize at 0 to use the column's shape, or reshape the column.");
        bool scalarSteps = frameSize == 0 && !shaped && vector.Size == 0;
        if (frameSize == 0) frameSize = shaped ? vector.Dimensions[1] : 1;
        if (vector.Size > 0 && vector.Size % frameSize != 0)
            throw new ArgumentOutOfRangeException(nameof(frameSize), frameSize, $"The feature column '{name}' holds {vector.Size} floats per row, which is not a whole number of frames of {frameSize}.");
        return new SequenceFeatureColumn(name, 0, frameSize, vector.Size) { IsScalarSteps = scalarSteps };
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

    /// <summary>The column <paramref name="name"/> of <paramref name="shape"/>, which must be a scalar of text; the errors call it the <paramref name="role"/> column and say it holds <paramref name="holds"/>.</summary>
    public static SchemaShape.Column RequireScalarText(SchemaShape shape, string name, string role, string holds)
    {
        SchemaShape.Column column = FindShape(shape, name)
            ?? throw new ArgumentOutOfRangeException(nameof(shape), $"The {role} column '{name}' is not in the input schema.");
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType != TextDataViewType.Instance)
            throw new ArgumentOutOfRangeException(nameof(shape), $"The {role} column '{name}' is a {column.Kind} of {column.ItemType}; it must be a scalar of text ({holds}).");
        return column;
    }

    /// <summary>A reader of this column for the rows of <paramref name="row"/>'s cursor; with <paramref name="trained"/>, rows are also checked against the column the model was trained on.</summary>
    public SequenceFeatureReader CreateReader(DataViewRow row, SequenceFeatureColumn? trained = null) => new(this, row, trained);

    private static ArgumentOutOfRangeException TypeError(string name, string type) => new(
        "schema", $"The feature column '{name}' has type {type}; a sequence column must be a vector of UInt32 keys with a known count (e.g. TokenizeIntoWords then MapValueToKey) or a vector of Single frames.");
}
