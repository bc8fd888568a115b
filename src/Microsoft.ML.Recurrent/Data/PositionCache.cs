namespace Microsoft.ML.Recurrent.Data;

/// <summary>A value computed at most once per position of a row or cursor: the added columns' getters share it.</summary>
internal sealed class PositionCache<T>(DataViewRow row, Func<T> compute)
{
    private long _at = -1;
    private T _value = default!;

    /// <summary>The value for the row's current position, computed on first use there.</summary>
    public T Value
    {
        get
        {
            if (_at != row.Position)
            {
                _value = compute();
                _at = row.Position;
            }
            return _value;
        }
    }
}
