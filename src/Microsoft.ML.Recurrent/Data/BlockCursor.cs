using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// A cursor that reads its input a block of rows ahead and computes the added columns of the whole
/// block at once (one packed batch through the network instead of one row at a time). The input
/// columns of each row are kept in <see cref="CachedColumn"/>s, so the cursor shows exactly what a
/// row-at-a-time cursor shows.
/// </summary>
internal sealed class BlockCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly ColumnAppender _appender;
    private readonly IBlockColumns _block;
    private readonly bool[] _addedActive;
    private readonly Dictionary<int, CachedColumn> _cached = [];
    private readonly long[] _positions, _batches;
    private readonly DataViewRowId[] _ids;
    private readonly ValueGetter<DataViewRowId> _inputIds;
    private int _count, _slot = -1;
    private bool _done, _started;

    public BlockCursor(DataViewRowCursor input, ColumnAppender appender, IBlockColumns block, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _input = input;
        _appender = appender;
        _block = block;
        _addedActive = new bool[appender.AddedCount];
        _positions = new long[block.Capacity];
        _batches = new long[block.Capacity];
        _ids = new DataViewRowId[block.Capacity];
        _inputIds = input.GetIdGetter();
        foreach (DataViewSchema.Column column in activeColumns)
        {
            int j = appender.AddedIndex(column);
            if (j >= 0) _addedActive[j] = true;
            else if (input.IsColumnActive(input.Schema[column.Index])) _cached.TryAdd(column.Index, CachedColumn.Create(input, input.Schema[column.Index], block.Capacity));
        }
    }

    public override DataViewSchema Schema => _appender.OutputSchema;

    public override long Position => _started && _slot >= 0 ? _positions[_slot] : -1;

    /// <summary>The input's batch of the current row (the input itself has read ahead): ML.NET's consolidating cursors order rows of a cursor set by it.</summary>
    public override long Batch => _slot >= 0 ? _batches[_slot] : _input.Batch;

    public override bool MoveNext()
    {
        if (_slot + 1 >= _count && !Fill()) return false;
        _started = true;
        _slot++;
        return true;
    }

    /// <summary>Reads the next block; false at the end of the input.</summary>
    private bool Fill()
    {
        _slot = -1;
        _count = 0;
        if (_done) return false;
        bool scoring = Array.IndexOf(_addedActive, true) >= 0;
        while (_count < _positions.Length && _input.MoveNext())
        {
            _positions[_count] = _input.Position;
            _batches[_count] = _input.Batch;
            _inputIds(ref _ids[_count]);
            foreach (CachedColumn column in _cached.Values) column.Store(_count);
            if (scoring) _block.Read(_input.Position, _count);
            _count++;
        }
        if (_count < _positions.Length) _done = true;
        if (_count > 0 && scoring) _block.Compute(_count);
        return _count > 0;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _ids[_slot];

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        int j = _appender.AddedIndex(column);
        return j < 0 ? _cached.ContainsKey(column.Index) : _addedActive[j];
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int j = _appender.AddedIndex(column);
        Delegate getter = j >= 0
            ? _addedActive[j] ? _block.GetGetter(j, () => _slot) : throw Inactive(column)
            : _cached.TryGetValue(column.Index, out CachedColumn? cached) ? cached.Getter(() => _slot) : throw Inactive(column);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type} ({column.Type.RawType.Name}); it cannot be read as {typeof(TValue).Name}.");
    }

    private static InvalidOperationException Inactive(DataViewSchema.Column column) =>
        new($"Column '{column.Name}' is not active in this cursor; request it when creating the cursor.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>The added columns of a block of rows, computed together (see <see cref="BlockCursor"/>).</summary>
internal interface IBlockColumns
{
    /// <summary>Rows per block.</summary>
    int Capacity { get; }

    /// <summary>Reads what the computation needs from the current input row (row <paramref name="position"/>, for error messages) into slot <paramref name="slot"/>.</summary>
    void Read(long position, int slot);

    /// <summary>Computes the added columns of slots 0..<paramref name="count"/>-1.</summary>
    void Compute(int count);

    /// <summary>The getter of added column <paramref name="addedIndex"/> for the slot <paramref name="slot"/>() returns.</summary>
    Delegate GetGetter(int addedIndex, Func<int> slot);
}
