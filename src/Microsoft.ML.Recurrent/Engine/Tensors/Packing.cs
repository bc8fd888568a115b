namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// Conversions between padded batch-first tensors ([B, T, F], the caller's sequence order) and the
/// packed time-major rows of a <see cref="SequenceLayout"/> (sorted order).
/// </summary>
public static class Packing
{
    /// <summary>Packs <paramref name="padded"/> [B, T, F] into <paramref name="packed"/> [N, F].</summary>
    /// <param name="layout">Sorted layout.</param>
    /// <param name="order">order[i] = original index of sorted sequence i.</param>
    /// <param name="padded">[B, T, F] batch-first values in the original order.</param>
    /// <param name="maxLength">T, the padded length.</param>
    /// <param name="features">F.</param>
    /// <param name="packed">[N, F] destination.</param>
    public static void Pack(SequenceLayout layout, ReadOnlySpan<int> order, ReadOnlySpan<float> padded, int maxLength, int features, Span<float> packed)
    {
        Check(layout, order, padded.Length, maxLength, features, packed.Length);
        for (int t = 0; t < layout.MaxLength; t++)
            for (int b = 0; b < layout.BatchSizes[t]; b++)
                padded.Slice((order[b] * maxLength + t) * features, features).CopyTo(packed.Slice(layout.Row(t, b) * features, features));
    }

    /// <summary>Unpacks <paramref name="packed"/> [N, F] into <paramref name="padded"/> [B, T, F], zeroing the padding.</summary>
    public static void Unpack(SequenceLayout layout, ReadOnlySpan<int> order, ReadOnlySpan<float> packed, int maxLength, int features, Span<float> padded)
    {
        Check(layout, order, padded.Length, maxLength, features, packed.Length);
        padded.Clear();
        for (int t = 0; t < layout.MaxLength; t++)
            for (int b = 0; b < layout.BatchSizes[t]; b++)
                packed.Slice(layout.Row(t, b) * features, features).CopyTo(padded.Slice((order[b] * maxLength + t) * features, features));
    }

    /// <summary>Copies sorted sequence <paramref name="b"/>'s rows of <paramref name="packed"/> [N, F] into <paramref name="sequence"/> [T_b, F].</summary>
    public static void CopySequence(SequenceLayout layout, ReadOnlySpan<float> packed, int b, int features, Span<float> sequence)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int length = layout.Lengths[b];
        if (sequence.Length < length * features) throw new ArgumentException($"sequence must hold [T={length}, F={features}] values but holds {sequence.Length}.", nameof(sequence));
        for (int t = 0; t < length; t++) packed.Slice(layout.Row(t, b) * features, features).CopyTo(sequence.Slice(t * features, features));
    }

    /// <summary>
    /// Reorders the batch axis of states [S, B, H]: <c>dst[s, i] = src[s, order[i]]</c> when
    /// <paramref name="toSorted"/>, else <c>dst[s, order[i]] = src[s, i]</c>.
    /// </summary>
    public static void PermuteBatch(ReadOnlySpan<int> order, ReadOnlySpan<float> src, int slots, int width, bool toSorted, Span<float> dst)
    {
        int batch = order.Length;
        if (src.Length != slots * batch * width || dst.Length != src.Length)
            throw new ArgumentException($"States must hold {slots * batch * width} values ([{slots}, {batch}, {width}]); got {src.Length} and {dst.Length}.");
        for (int s = 0; s < slots; s++)
            for (int i = 0; i < batch; i++)
            {
                int from = toSorted ? order[i] : i, to = toSorted ? i : order[i];
                src.Slice((s * batch + from) * width, width).CopyTo(dst.Slice((s * batch + to) * width, width));
            }
    }

    private static void Check(SequenceLayout layout, ReadOnlySpan<int> order, int paddedLength, int maxLength, int features, int packedLength)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (order.Length != layout.BatchSize) throw new ArgumentException($"order has {order.Length} entries for {layout.BatchSize} sequences.", nameof(order));
        if (maxLength < layout.MaxLength) throw new ArgumentException($"The padded length {maxLength} is below the longest sequence ({layout.MaxLength}).", nameof(maxLength));
        if (paddedLength != layout.BatchSize * maxLength * features)
            throw new ArgumentException($"The padded tensor must hold {layout.BatchSize * maxLength * features} values ([B={layout.BatchSize}, T={maxLength}, F={features}]) but holds {paddedLength}.");
        if (packedLength != layout.TotalSteps * features)
            throw new ArgumentException($"The packed tensor must hold {layout.TotalSteps * features} values ([N={layout.TotalSteps}, F={features}]) but holds {packedLength}.");
    }
}
