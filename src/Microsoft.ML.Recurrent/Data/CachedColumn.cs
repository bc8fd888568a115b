using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Keeps the values of one input column for a block of rows that a <see cref="BlockCursor"/> has read
/// ahead, so pass-through columns still show each row's own value. Vectors are copied into buffers
/// owned by the slot; other values are stored as they are.
/// </summary>
internal abstract class CachedColumn
{
    /// <summary>A cache of <paramref name="column"/> of <paramref name="row"/> for <paramref name="capacity"/> rows.</summary>
    public static CachedColumn Create(DataViewRow row, DataViewSchema.Column column, int capacity)
    {
        Type raw = column.Type.RawType;
        Type cache = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(CachedVector<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(CachedValue<>).MakeGenericType(raw);
        return (CachedColumn)Activator.CreateInstance(cache, row, column, capacity)!;
    }

    /// <summary>Stores the input row's current value in <paramref name="slot"/>.</summary>
    public abstract void Store(int slot);

    /// <summary>A getter that reads the value of slot <paramref name="slot"/>().</summary>
    public abstract Delegate Getter(Func<int> slot);

    private sealed class CachedValue<T>(DataViewRow row, DataViewSchema.Column column, int capacity) : CachedColumn
    {
        private readonly ValueGetter<T> _source = row.GetGetter<T>(column);
        private readonly T[] _values = new T[capacity];

        public override void Store(int slot) => _source(ref _values[slot]);

        public override Delegate Getter(Func<int> slot) => (ValueGetter<T>)((ref T value) => value = _values[slot()]);
    }

    private sealed class CachedVector<T>(DataViewRow row, DataViewSchema.Column column, int capacity) : CachedColumn
    {
        private readonly ValueGetter<VBuffer<T>> _source = row.GetGetter<VBuffer<T>>(column);
        private readonly VBuffer<T>[] _values = new VBuffer<T>[capacity];

        public override void Store(int slot) => _source(ref _values[slot]);

        public override Delegate Getter(Func<int> slot) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => _values[slot()].CopyTo(ref value));
    }
}
