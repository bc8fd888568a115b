namespace Microsoft.ML.Recurrent;

/// <summary>How a sequence of recurrent outputs becomes one feature vector.</summary>
public enum SequencePooling
{
    /// <summary>
    /// The last state of each direction: the forward half at the sequence's own last step, the
    /// reverse half at its first step (the final states h_n of a packed PyTorch RNN).
    /// </summary>
    LastState,
    /// <summary>Element-wise maximum over the steps of the sequence.</summary>
    Max,
    /// <summary>Element-wise mean over the steps of the sequence.</summary>
    Mean,
}
