using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>Reads the current row of a cursor as token ids or float frames, checking every value.</summary>
internal sealed class SequenceFeatureReader
{
    private readonly SequenceFeatureColumn _column, _trained;
    private readonly ValueGetter<VBuffer<uint>>? _keys;
    private readonly ValueGetter<VBuffer<float>>? _frames;
    private VBuffer<uint> _keyBuffer;
    private VBuffer<float> _frameBuffer;

    internal SequenceFeatureReader(SequenceFeatureColumn column, DataViewRow row, SequenceFeatureColumn? trained)
    {
        _column = column;
        _trained = trained ?? column;
        DataViewSchema.Column source = row.Schema[column.Name];
        if (column.IsTokens) _keys = row.GetGetter<VBuffer<uint>>(source);
        else _frames = row.GetGetter<VBuffer<float>>(source);
    }

    /// <summary>
    /// Reads the current row into <paramref name="ids"/> (token columns) or <paramref name="frames"/>
    /// (frame columns), growing them as needed, and returns the number of steps.
    /// </summary>
    /// <param name="rowIndex">Row number for error messages.</param>
    /// <param name="ids">Receives T ids.</param>
    /// <param name="frames">Receives T*F floats.</param>
    /// <exception cref="InvalidDataException">The sequence is empty, not a whole number of frames, or holds NaN/infinity.</exception>
    public int Read(long rowIndex, ref int[] ids, ref float[] frames)
    {
        if (_keys is not null)
        {
            _keys(ref _keyBuffer);
            int length = _keyBuffer.Length;
            CheckNotEmpty(rowIndex, length);
            CheckFixedSize(rowIndex, length);
            if (ids.Length < length) ids = new int[length];
            ids.AsSpan(0, length).Clear();
            ReadOnlySpan<uint> values = _keyBuffer.GetValues();
            ReadOnlySpan<int> indices = _keyBuffer.IsDense ? default : _keyBuffer.GetIndices();
            for (int i = 0; i < values.Length; i++)
            {
                uint key = values[i];
                ids[_keyBuffer.IsDense ? i : indices[i]] = key < (uint)_column.VocabularySize ? (int)key : 0;
            }
            return length;
        }
        _frames!(ref _frameBuffer);
        int count = _frameBuffer.Length, f = _column.FrameSize;
        CheckNotEmpty(rowIndex, count);
        CheckFixedSize(rowIndex, count);
        if (count % f != 0)
            throw new InvalidDataException($"Row {rowIndex} of column '{_column.Name}' holds {count} floats, which is not a whole number of frames of {f}.");
        if (frames.Length < count) frames = new float[count];
        _frameBuffer.CopyTo(frames);
        for (int i = 0; i < count; i++)
            if (!float.IsFinite(frames[i]))
                throw new InvalidDataException($"Row {rowIndex} of column '{_column.Name}' has {frames[i]} at index {i} (step {i / f}, feature {i % f}); features must be finite numbers.");
        return count / f;
    }

    /// <summary>A model trained on fixed windows needs windows of that size, also from a variable-length column.</summary>
    private void CheckFixedSize(long rowIndex, int count)
    {
        if (_trained.FixedSize > 0 && count != _trained.FixedSize)
            throw new InvalidDataException($"Row {rowIndex} of column '{_column.Name}' holds {count} values; the model was trained on windows of {_trained.FixedSize}. Cut windows of the training length.");
    }

    private void CheckNotEmpty(long rowIndex, int length)
    {
        if (length == 0)
            throw new InvalidDataException($"Row {rowIndex} of column '{_column.Name}' is an empty sequence; every sequence needs at least one step (filter empty rows out first).");
    }
}
