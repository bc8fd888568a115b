namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// The states a <see cref="RecurrentNetwork"/> starts from or ends in, for one batch: hidden states
/// <see cref="Hidden"/> and, for LSTM cells, <see cref="Cell"/>, each [L*D, B, H] in PyTorch's order
/// (layer 0 forward, layer 0 reverse, layer 1 forward, ...). The same type carries their gradients.
/// Use it instead of the positional h0/c0/hN/cN spans: carry the final state of one window into the
/// next (truncated BPTT, streaming), or feed an encoder's state to a decoder.
/// </summary>
public sealed class RecurrentState
{
    /// <summary>Creates zero states for <paramref name="batchSize"/> sequences of <paramref name="network"/>.</summary>
    public RecurrentState(RecurrentNetwork network, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
        HiddenSize = network.HiddenSize;
        Slots = network.NumLayers * network.Directions;
        Hidden = new float[Slots * batchSize * HiddenSize];
        Cell = network.HasCellState ? new float[Hidden.Length] : [];
    }

    /// <summary>B.</summary>
    public int BatchSize { get; }

    /// <summary>H.</summary>
    public int HiddenSize { get; }

    /// <summary>L*D.</summary>
    public int Slots { get; }

    /// <summary>[L*D, B, H] hidden states.</summary>
    public float[] Hidden { get; }

    /// <summary>[L*D, B, H] cell states (LSTM), or empty for cells without one.</summary>
    public float[] Cell { get; }

    /// <summary>The hidden state of sequence <paramref name="b"/> in slot <paramref name="slot"/> (layer * D + direction).</summary>
    public Span<float> HiddenOf(int slot, int b) => Hidden.AsSpan((slot * BatchSize + b) * HiddenSize, HiddenSize);

    /// <summary>Copies the states of sequence <paramref name="row"/> in every slot to sequence <paramref name="targetRow"/> of <paramref name="target"/> (same network shape).</summary>
    public void CopyRowTo(int row, RecurrentState target, int targetRow)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Slots != Slots || target.HiddenSize != HiddenSize || target.Cell.Length == 0 != (Cell.Length == 0))
            throw new ArgumentException("The target states belong to a network of another shape.", nameof(target));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)BatchSize, nameof(row));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)targetRow, (uint)target.BatchSize, nameof(targetRow));
        for (int slot = 0; slot < Slots; slot++)
        {
            HiddenOf(slot, row).CopyTo(target.HiddenOf(slot, targetRow));
            if (Cell.Length > 0) Cell.AsSpan((slot * BatchSize + row) * HiddenSize, HiddenSize).CopyTo(target.Cell.AsSpan((slot * target.BatchSize + targetRow) * HiddenSize, HiddenSize));
        }
    }

    /// <summary>Sets every state to zero.</summary>
    public void Clear()
    {
        Array.Clear(Hidden);
        Array.Clear(Cell);
    }
}
