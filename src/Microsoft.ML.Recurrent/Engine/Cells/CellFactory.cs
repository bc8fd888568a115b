namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>Creates cells from a <see cref="CellType"/>.</summary>
internal static class CellFactory
{
    /// <summary>Creates a cell of <paramref name="type"/> with hidden size <paramref name="hiddenSize"/> (its own parameters, if any, named prefix + name + suffix).</summary>
    public static RecurrentCell Create(CellType type, int hiddenSize, string nameSuffix = "", string namePrefix = "") => type switch
    {
        CellType.Lstm => new LstmCell(hiddenSize),
        CellType.PeepholeLstm => new LstmCell(hiddenSize, peepholes: true, nameSuffix, namePrefix),
        CellType.Gru => new GruCell(hiddenSize, resetAfter: true),
        CellType.GruResetBefore => new GruCell(hiddenSize, resetAfter: false),
        CellType.ElmanTanh => new ElmanCell(hiddenSize, relu: false),
        CellType.ElmanRelu => new ElmanCell(hiddenSize, relu: true),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown cell type."),
    };
}
