using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// A mini-batch in the engine's packed time-major form: sequences sorted longest first, step t of
/// sorted sequence b at row <c>Layout.Row(t, b)</c>, targets in the same sorted order.
/// </summary>
internal sealed class SequenceBatch
{
    private int[] _ids = [];
    private float[] _frames = [], _targets = [];

    /// <summary>The layout of the last <see cref="Fill"/>.</summary>
    public SequenceLayout Layout { get; private set; } = SequenceLayout.FromSortedLengths([1]);

    /// <summary>Packed ids [N] (token input).</summary>
    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Layout.TotalSteps);

    /// <summary>Packed frames [N, F] (frame input).</summary>
    public ReadOnlySpan<float> Frames(int frameSize) => _frames.AsSpan(0, Layout.TotalSteps * frameSize);

    /// <summary>Targets [B] in sorted order.</summary>
    public ReadOnlySpan<float> Targets => _targets.AsSpan(0, Layout.BatchSize);

    /// <summary>Packs <paramref name="examples"/>.</summary>
    public void Fill(IReadOnlyList<SequenceExample> examples, int frameSize)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("A batch needs at least one example.", nameof(examples));
        int[] lengths = new int[examples.Count];
        for (int i = 0; i < lengths.Length; i++) lengths[i] = examples[i].Length;
        Layout = SequenceLayout.Sort(lengths, -1, out int[] order);
        int n = Layout.TotalSteps;
        bool tokens = examples[0].Ids is not null;
        if (tokens && _ids.Length < n) _ids = new int[n];
        if (!tokens && _frames.Length < n * frameSize) _frames = new float[n * frameSize];
        if (_targets.Length < lengths.Length) _targets = new float[lengths.Length];
        for (int b = 0; b < order.Length; b++)
        {
            SequenceExample example = examples[order[b]];
            _targets[b] = example.Target;
            for (int t = 0; t < example.Length; t++)
            {
                int row = Layout.Row(t, b);
                if (tokens) _ids[row] = example.Ids![t];
                else example.Frames.AsSpan(t * frameSize, frameSize).CopyTo(_frames.AsSpan(row * frameSize, frameSize));
            }
        }
    }
}
