using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// A mini-batch in the engine's packed time-major form: sequences sorted longest first, step t of
/// sorted sequence b at row <c>Layout.Row(t, b)</c>, targets in the same sorted order. Label
/// sequences come packed twice over, for whichever a family needs: per step on the input's layout
/// (<see cref="StepLabels"/>, when every label sequence is as long as its input), and on a layout of
/// their own lengths (<see cref="LabelLayout"/>, sorted by label length, with
/// <see cref="LabelOrder"/> mapping back to the input's sorted order). Buffers are reused across fills.
/// </summary>
internal sealed class SequenceBatch
{
    private int[] _ids = [], _order = [], _stepLabels = [], _labels = [], _labelOrder = [], _parts = [], _partOffsets = [];
    private float[] _frames = [], _targets = [];
    private int[][] _labelSequences = [];
    private bool _hasLabels, _perStep, _hasParts;

    /// <summary>The layout of the last fill.</summary>
    public SequenceLayout Layout { get; private set; } = SequenceLayout.FromSortedLengths([1]);

    /// <summary>Packed ids [N] (token input).</summary>
    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Layout.TotalSteps);

    /// <summary>Packed frames [N, F] (frame input).</summary>
    public ReadOnlySpan<float> Frames(int frameSize) => _frames.AsSpan(0, Layout.TotalSteps * frameSize);

    /// <summary>For sorted position b, the index of its example in the filled list.</summary>
    public ReadOnlySpan<int> Order => _order.AsSpan(0, Layout.BatchSize);

    /// <summary>Every packed step's parts (a word's characters), step r's at [PartOffsets[r], PartOffsets[r + 1]); empty without parts.</summary>
    public ReadOnlySpan<int> Parts => _hasParts ? _parts.AsSpan(0, _partOffsets[Layout.TotalSteps]) : default;

    /// <summary>[N + 1] offsets into <see cref="Parts"/>, or empty without parts.</summary>
    public ReadOnlySpan<int> PartOffsets => _hasParts ? _partOffsets.AsSpan(0, Layout.TotalSteps + 1) : default;

    /// <summary>Targets [B] in sorted order.</summary>
    public ReadOnlySpan<float> Targets => _targets.AsSpan(0, Layout.BatchSize);

    /// <summary>Labels [N] on the input's layout (a tag or next token per step).</summary>
    /// <exception cref="InvalidOperationException">The examples have no labels, or a label sequence is not as long as its input.</exception>
    public ReadOnlySpan<int> StepLabels => _hasLabels && _perStep ? _stepLabels.AsSpan(0, Layout.TotalSteps)
        : throw new InvalidOperationException("This batch has no per-step labels: every example needs a label sequence as long as its input.");

    /// <summary>Each sorted sequence's label sequence (a transcript, a target sentence), in the input's sorted order.</summary>
    public IReadOnlyList<int[]> LabelSequences => _hasLabels ? new ArraySegment<int[]>(_labelSequences, 0, Layout.BatchSize) : throw NoLabels();

    /// <summary>The layout of the label sequences' own lengths (sorted longest first; empty sequences are left out).</summary>
    public SequenceLayout LabelLayout { get; private set; } = SequenceLayout.FromSortedLengths([1]);

    /// <summary>Label sequences packed [N'] on <see cref="LabelLayout"/>.</summary>
    public ReadOnlySpan<int> Labels => _hasLabels ? _labels.AsSpan(0, LabelLayout.TotalSteps) : throw NoLabels();

    /// <summary>For label-sorted position b', the input-sorted position of its sequence.</summary>
    public ReadOnlySpan<int> LabelOrder => _hasLabels ? _labelOrder.AsSpan(0, LabelLayout.BatchSize) : throw NoLabels();

    /// <summary>Packs <paramref name="examples"/>.</summary>
    public void Fill(IReadOnlyList<SequenceExample> examples, int frameSize)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("A batch needs at least one example.", nameof(examples));
        Fill(examples.Count, i => examples[i].Length, i => examples[i].Ids, i => examples[i].Frames, frameSize);
        if (_targets.Length < examples.Count) _targets = new float[examples.Count];
        for (int b = 0; b < examples.Count; b++) _targets[b] = examples[_order[b]].Target;
        _hasLabels = examples[0].Labels is not null;
        if (_hasLabels) PackLabels(examples);
        if (examples[0].Parts is not null) PackParts(examples.Count, i => examples[i].Parts!);
    }

    /// <summary>Packs each step's parts (<paramref name="parts"/>(i)[t] for step t of sequence i) in packed row order.</summary>
    public void PackParts(int count, Func<int, int[][]> parts)
    {
        int n = Layout.TotalSteps;
        _hasParts = true;
        if (_partOffsets.Length < n + 1) _partOffsets = new int[n + 1];
        // Offsets first (rows are time-major), then the parts themselves.
        int[] lengths = new int[n];
        for (int b = 0; b < Layout.BatchSize; b++)
        {
            int[][] sequence = parts(_order[b]);
            for (int t = 0; t < Layout.Lengths[b]; t++) lengths[Layout.Row(t, b)] = sequence[t].Length;
        }
        _partOffsets[0] = 0;
        for (int r = 0; r < n; r++) _partOffsets[r + 1] = _partOffsets[r] + lengths[r];
        if (_parts.Length < _partOffsets[n]) _parts = new int[_partOffsets[n]];
        for (int b = 0; b < Layout.BatchSize; b++)
        {
            int[][] sequence = parts(_order[b]);
            for (int t = 0; t < Layout.Lengths[b]; t++) sequence[t].CopyTo(_parts, _partOffsets[Layout.Row(t, b)]);
        }
    }

    /// <summary>Packs the inputs of <paramref name="count"/> sequences given by accessors (ids or frames, by index).</summary>
    public void Fill(int count, Func<int, int> length, Func<int, int[]?> ids, Func<int, float[]?> frames, int frameSize)
    {
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) lengths[i] = length(i);
        Layout = SequenceLayout.Sort(lengths, -1, out int[] order);
        _order = order;
        _hasLabels = false;
        _hasParts = false;
        int n = Layout.TotalSteps;
        // Token ids, frames, or both (a tagger's word ids with per-token features).
        bool tokens = ids(0) is not null, hasFrames = frames(0) is not null;
        if (tokens && _ids.Length < n) _ids = new int[n];
        if (hasFrames && _frames.Length < n * frameSize) _frames = new float[n * frameSize];
        for (int b = 0; b < count; b++)
        {
            int source = order[b];
            int[]? sequenceIds = tokens ? ids(source) : null;
            float[]? sequenceFrames = hasFrames ? frames(source) : null;
            for (int t = 0; t < lengths[source]; t++)
            {
                int row = Layout.Row(t, b);
                if (tokens) _ids[row] = sequenceIds![t];
                if (hasFrames) sequenceFrames.AsSpan(t * frameSize, frameSize).CopyTo(_frames.AsSpan(row * frameSize, frameSize));
            }
        }
    }

    private void PackLabels(IReadOnlyList<SequenceExample> examples)
    {
        int count = examples.Count;
        if (_labelSequences.Length < count) _labelSequences = new int[count][];
        _perStep = true;
        var lengths = new List<int>(count);
        var owners = new List<int>(count);
        for (int b = 0; b < count; b++)
        {
            SequenceExample example = examples[_order[b]];
            int[] labels = example.Labels ?? throw new ArgumentException($"Row {example.Row} has no label sequence, unlike the batch's first example.", nameof(examples));
            _labelSequences[b] = labels;
            _perStep &= labels.Length == example.Length;
            if (labels.Length > 0) { lengths.Add(labels.Length); owners.Add(b); }
        }
        if (_perStep)
        {
            if (_stepLabels.Length < Layout.TotalSteps) _stepLabels = new int[Layout.TotalSteps];
            for (int b = 0; b < count; b++)
                for (int t = 0; t < _labelSequences[b].Length; t++) _stepLabels[Layout.Row(t, b)] = _labelSequences[b][t];
        }
        LabelLayout = SequenceLayout.Sort([.. lengths], -1, out int[] labelOrder);
        if (_labelOrder.Length < labelOrder.Length) _labelOrder = new int[labelOrder.Length];
        if (_labels.Length < LabelLayout.TotalSteps) _labels = new int[LabelLayout.TotalSteps];
        for (int b = 0; b < labelOrder.Length; b++)
        {
            _labelOrder[b] = owners[labelOrder[b]];
            int[] labels = _labelSequences[_labelOrder[b]];
            for (int t = 0; t < labels.Length; t++) _labels[LabelLayout.Row(t, b)] = labels[t];
        }
    }

    private static InvalidOperationException NoLabels() => new("This batch has no label sequences.");
}
