namespace Microsoft.ML.Recurrent;

/// <summary>The recurrent cell types the engine implements (the <c>Cell</c> option of every recurrent trainer).</summary>
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
