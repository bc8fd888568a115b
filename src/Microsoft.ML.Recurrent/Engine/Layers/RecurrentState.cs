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

    /// <summary>Sets every state to zero.</summary>
    public void Clear()
    {
        Array.Clear(Hidden);
        Array.Clear(Cell);
    }
}
