namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// Shape of a packed, time-major batch of variable-length sequences (PyTorch's PackedSequence
/// semantics). Sequences are sorted by length, longest first, so step <c>t</c> holds the first
/// <see cref="BatchSizes"/>[t] sequences, stored as consecutive rows starting at
/// <see cref="StepOffset"/>(t). Padding is never stored, so no work or gradient touches it.
/// </summary>
public sealed class SequenceLayout
{
    private readonly int[] _lengths;
    private readonly int[] _batchSizes;
    private readonly int[] _offsets;

    private SequenceLayout(int[] lengths)
    {
        _lengths = lengths;
        int maxLength = lengths.Length == 0 ? 0 : lengths[0];
        _batchSizes = new int[maxLength];
        _offsets = new int[maxLength + 1];
        for (int t = 0; t < maxLength; t++)
        {
            int active = 0;
            while (active < lengths.Length && lengths[active] > t) active++;
            _batchSizes[t] = active;
            _offsets[t + 1] = _offsets[t] + active;
        }
    }

    /// <summary>Number of sequences (B).</summary>
    public int BatchSize => _lengths.Length;

    /// <summary>Length of the longest sequence (T).</summary>
    public int MaxLength => _batchSizes.Length;

    /// <summary>Total number of stored steps over all sequences (N = sum of lengths), the row count of packed data.</summary>
    public int TotalSteps => _offsets[^1];

    /// <summary>Sequence lengths, longest first.</summary>
    public ReadOnlySpan<int> Lengths => _lengths;

    /// <summary>Number of sequences still active at each step (non-increasing).</summary>
    public ReadOnlySpan<int> BatchSizes => _batchSizes;

    /// <summary>Row of packed data where step <paramref name="t"/> begins.</summary>
    public int StepOffset(int t) => _offsets[t];

    /// <summary>Packed row of sequence <paramref name="b"/> at step <paramref name="t"/> (requires t &lt; Lengths[b]).</summary>
    public int Row(int t, int b) => _offsets[t] + b;

    /// <summary>
    /// The layout of steps [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>)
    /// of the sequences still active at <paramref name="start"/>: a window for truncated BPTT. Its
    /// packed rows are exactly rows [StepOffset(start), StepOffset(start + count)) of this layout, and
    /// its sequence b is this layout's sequence b, so final states of one window are the initial
    /// states (first rows) of the next.
    /// </summary>
    public SequenceLayout Window(int start, int count)
    {
        if (start < 0 || start >= MaxLength) throw new ArgumentOutOfRangeException(nameof(start), start, $"The window must start inside [0, {MaxLength}).");
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int active = _batchSizes[start];
        int[] lengths = new int[active];
        for (int b = 0; b < active; b++) lengths[b] = Math.Min(_lengths[b] - start, count);
        return new SequenceLayout(lengths);
    }

    /// <summary>Copies the rows of sorted sequence <paramref name="b"/> out of <paramref name="packed"/> [N, width] into <paramref name="sequence"/> [T_b, width].</summary>
    public void CopySequence(int b, ReadOnlySpan<float> packed, int width, Span<float> sequence)
    {
        for (int t = 0; t < _lengths[b]; t++) packed.Slice(Row(t, b) * width, width).CopyTo(sequence.Slice(t * width, width));
    }

    /// <summary>Writes <paramref name="sequence"/> [T_b, width] into the rows of sorted sequence <paramref name="b"/> of <paramref name="packed"/> [N, width].</summary>
    public void WriteSequence(int b, ReadOnlySpan<float> sequence, int width, Span<float> packed)
    {
        for (int t = 0; t < _lengths[b]; t++) sequence.Slice(t * width, width).CopyTo(packed.Slice(Row(t, b) * width, width));
    }

    /// <summary>
    /// Creates a layout from lengths already sorted longest first.
    /// </summary>
    /// <exception cref="ArgumentException">A length is below 1, or the lengths are not sorted descending.</exception>
    public static SequenceLayout FromSortedLengths(ReadOnlySpan<int> lengths)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            if (lengths[b] < 1)
                throw new ArgumentException($"Sequence {b} has length {lengths[b]}; every sequence needs at least one step.", nameof(lengths));
            if (b > 0 && lengths[b] > lengths[b - 1])
                throw new ArgumentException($"Lengths must be sorted longest first, but lengths[{b}]={lengths[b]} > lengths[{b - 1}]={lengths[b - 1]}. Use SequenceLayout.Sort to get the order.", nameof(lengths));
        }
        return new SequenceLayout(lengths.ToArray());
    }

    /// <summary>
    /// Sorts arbitrary lengths longest first (stable) and returns the layout together with
    /// <paramref name="order"/>: <c>order[i]</c> is the original index of the i-th sorted sequence.
    /// </summary>
    /// <param name="lengths">Lengths in the caller's order.</param>
    /// <param name="maxLength">Upper bound on a length (e.g. the padded T), or -1 for none.</param>
    /// <param name="order">Receives the permutation from sorted position to original index.</param>
    public static SequenceLayout Sort(ReadOnlySpan<int> lengths, int maxLength, out int[] order)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            if (lengths[b] < 1)
                throw new ArgumentException($"lengths[{b}] = {lengths[b]}; every sequence needs at least one step.", nameof(lengths));
            if (maxLength >= 0 && lengths[b] > maxLength)
                throw new ArgumentException($"lengths[{b}] = {lengths[b]} exceeds the padded length {maxLength}.", nameof(lengths));
        }
        int[] copy = lengths.ToArray();
        order = Enumerable.Range(0, copy.Length).OrderByDescending(i => copy[i]).ToArray();
        int[] sorted = new int[copy.Length];
        for (int i = 0; i < sorted.Length; i++) sorted[i] = copy[order[i]];
        return new SequenceLayout(sorted);
    }
}
