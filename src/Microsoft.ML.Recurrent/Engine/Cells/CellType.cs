namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>The recurrent cell types the engine implements.</summary>
public enum CellType
{
    /// <summary>LSTM, gate order i, f, g, o.</summary>
    Lstm,
    /// <summary>LSTM with peephole connections from the cell state to the gates.</summary>
    PeepholeLstm,
    /// <summary>GRU with the reset gate applied after the recurrent product (PyTorch/cuDNN).</summary>
    Gru,
    /// <summary>GRU with the reset gate applied before the recurrent product (textbook).</summary>
    GruResetBefore,
    /// <summary>Elman network with tanh activation.</summary>
    ElmanTanh,
    /// <summary>Elman network with ReLU activation (IRNN when W_hh starts as the identity).</summary>
    ElmanRelu,
}

/// <summary>Creates cells from a <see cref="CellType"/>.</summary>
public static class CellFactory
{
    /// <summary>Creates a cell of <paramref name="type"/> with hidden size <paramref name="hiddenSize"/>.</summary>
    public static RecurrentCell Create(CellType type, int hiddenSize, string nameSuffix = "") => type switch
    {
        CellType.Lstm => new LstmCell(hiddenSize),
        CellType.PeepholeLstm => new LstmCell(hiddenSize, peepholes: true, nameSuffix),
        CellType.Gru => new GruCell(hiddenSize, resetAfter: true),
        CellType.GruResetBefore => new GruCell(hiddenSize, resetAfter: false),
        CellType.ElmanTanh => new ElmanCell(hiddenSize, relu: false),
        CellType.ElmanRelu => new ElmanCell(hiddenSize, relu: true),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown cell type."),
    };
}
