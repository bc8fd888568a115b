namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Row-at-a-time added columns (what <c>PredictionEngine</c> and a plain row mapper use) from a block
/// computer: each new position is read into slot 0 and computed as a block of one, once per position.
/// </summary>
internal sealed class SingleRowBlock(DataViewRow input, IBlockColumns block) : IAddedColumns
{
    private long _position = -1;

    public Delegate GetGetter(int addedIndex) => block.GetGetter(addedIndex, Slot);

    private int Slot()
    {
        if (_position == input.Position) return 0;
        block.Read(input.Position, 0);
        block.Compute(1);
        _position = input.Position;
        return 0;
    }
}
