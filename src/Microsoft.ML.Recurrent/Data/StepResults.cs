using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Per-step results of a packed batch ([N, K] floats or [N] ints on the batch's layout), put back into
/// each row's own step order: slot i (the i-th example given to the batch) gets T_i rows of K values.
/// What a tagger's tags, a CTC model's frame scores or a language model's next-token probabilities go
/// through on their way to output columns. Buffers are reused across batches.
/// </summary>
internal sealed class StepResults
{
    private float[][] _floats = [];
    private int[][] _ints = [];
    private int[] _lengths = [];

    /// <summary>Values per step of the last <see cref="Unpack(SequenceBatch, ReadOnlySpan{float}, int)"/>.</summary>
    public int Width { get; private set; }

    /// <summary>Copies packed [N, <paramref name="width"/>] floats out of <paramref name="batch"/>'s layout into per-slot arrays.</summary>
    public void Unpack(SequenceBatch batch, ReadOnlySpan<float> packed, int width)
    {
        SequenceLayout layout = batch.Layout;
        if (packed.Length != layout.TotalSteps * width)
            throw new ArgumentException($"packed must hold [N={layout.TotalSteps}, K={width}] values but holds {packed.Length}.", nameof(packed));
        Width = width;
        Prepare(batch, ref _floats, width);
        ReadOnlySpan<int> order = batch.Order;
        for (int b = 0; b < layout.BatchSize; b++) layout.CopySequence(b, packed, width, _floats[order[b]]);
    }

    /// <summary>Copies packed [N] ints (e.g. decoded tags) out of <paramref name="batch"/>'s layout into per-slot arrays.</summary>
    public void Unpack(SequenceBatch batch, ReadOnlySpan<int> packed)
    {
        SequenceLayout layout = batch.Layout;
        if (packed.Length != layout.TotalSteps) throw new ArgumentException($"packed must hold N={layout.TotalSteps} values but holds {packed.Length}.", nameof(packed));
        Prepare(batch, ref _ints, 1);
        ReadOnlySpan<int> order = batch.Order;
        for (int b = 0; b < layout.BatchSize; b++)
        {
            int[] target = _ints[order[b]];
            for (int t = 0; t < layout.Lengths[b]; t++) target[t] = packed[layout.Row(t, b)];
        }
    }

    /// <summary>Steps of slot <paramref name="slot"/>.</summary>
    public int Length(int slot) => _lengths[slot];

    /// <summary>Slot <paramref name="slot"/>'s floats, [T_slot, Width] in step order.</summary>
    public ReadOnlyMemory<float> Floats(int slot) => _floats[slot].AsMemory(0, _lengths[slot] * Width);

    /// <summary>Slot <paramref name="slot"/>'s ints, [T_slot] in step order.</summary>
    public ReadOnlyMemory<int> Ints(int slot) => _ints[slot].AsMemory(0, _lengths[slot]);

    private void Prepare<T>(SequenceBatch batch, ref T[][] buffers, int width)
    {
        SequenceLayout layout = batch.Layout;
        int count = layout.BatchSize;
        if (buffers.Length < count) Array.Resize(ref buffers, count);
        if (_lengths.Length < count) Array.Resize(ref _lengths, count);
        ReadOnlySpan<int> order = batch.Order;
        for (int b = 0; b < count; b++)
        {
            int slot = order[b], size = layout.Lengths[b] * width;
            _lengths[slot] = layout.Lengths[b];
            if (buffers[slot] is null || buffers[slot].Length < size) buffers[slot] = new T[Math.Max(size, 16)];
        }
    }
}
