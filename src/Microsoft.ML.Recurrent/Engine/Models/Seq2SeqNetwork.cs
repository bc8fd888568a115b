using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// An encoder-decoder with attention: source ids through an embedding and a stacked (bi)LSTM/GRU
/// (<see cref="SequenceEncoder"/>), its final states bridged into a step-by-step decoder that attends over every
/// encoder output (<see cref="AttentionDecoder"/>: Luong's architecture with input feeding and additive, general,
/// dot or scaled-dot scores), trained by per-symbol cross-entropy with teacher forcing or scheduled sampling.
/// An instance keeps workspaces: use one per thread (<see cref="Clone"/>).
/// </summary>
/// <remarks>Dims legend: B = batch, S = longest source, K = key width (encoder directions x hidden size), T = target steps, V = target vocabulary.</remarks>
public sealed class Seq2SeqNetwork
{
    private readonly SequenceEncoder _encoder;
    private readonly StateBridge _bridge;
    private float[] _keys = [], _dKeys = [], _dOutput = [];
    private int[] _ids = [], _targets = [];
    private RecurrentState? _encoderFinal, _dEncoderFinal, _decoderInitial, _dDecoderInitial;

    /// <summary>Creates the network with zero weights (see <see cref="Initialize"/>).</summary>
    public Seq2SeqNetwork(Seq2SeqArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        _encoder = new SequenceEncoder(architecture.Cell, architecture.EmbeddingSize, architecture.EncoderHiddenSize, architecture.EncoderLayers,
            architecture.Bidirectional, architecture.SourceVocabularySize, architecture.Dropout);
        _bridge = new StateBridge(architecture, _encoder.Recurrent.HasCellState);
        Decoder = new AttentionDecoder(architecture);
        Parameters = [.. _encoder.Parameters, .. _bridge.Parameters, .. Decoder.Parameters];
    }

    /// <summary>The shape.</summary>
    public Seq2SeqArchitecture Architecture { get; }

    /// <summary>Encoder, bridge and decoder parameters, in that order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    internal AttentionDecoder Decoder { get; }

    /// <summary>The recurrent stacks of the encoder and the decoder.</summary>
    public IReadOnlyList<RecurrentNetwork> RecurrentStacks => [_encoder.Recurrent, Decoder.Recurrent];

    /// <summary>Whether both recurrent stacks pack their weights once for inference (see <see cref="RecurrentNetwork.Frozen"/>); training needs it off.</summary>
    public bool Frozen
    {
        get => _encoder.Recurrent.Frozen;
        set => _encoder.Recurrent.Frozen = Decoder.Recurrent.Frozen = value;
    }

    /// <summary>Embeddings N(0, 1/E), recurrent defaults, Xavier for the bridge, attention and output layers.</summary>
    public void Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _encoder.Initialize(random);
        _bridge.Initialize(random);
        Decoder.Initialize(random);
    }

    /// <summary>A copy with the same weights and its own workspaces.</summary>
    public Seq2SeqNetwork Clone()
    {
        var copy = new Seq2SeqNetwork(Architecture);
        for (int i = 0; i < Parameters.Count; i++) copy.Parameters[i].Load(Parameters[i].Value);
        return copy;
    }

    /// <summary>
    /// The mean cross-entropy in nats per target symbol (each target's symbols and its end) of a batch, and, when
    /// <paramref name="gradient"/>, its gradient added into the parameters.
    /// </summary>
    /// <param name="sources">Source ids per example, each non-empty.</param>
    /// <param name="targets">Target ids per example (without the end symbol; may be empty).</param>
    /// <param name="gradient">Whether to backpropagate.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <param name="random">Dropout masks and scheduled sampling (needed when either is on).</param>
    /// <param name="teacherForcing">Probability that a decoder step reads the true previous symbol rather than the model's most likely one.</param>
    /// <param name="labelSmoothing">Share of each target spread over all symbols, in [0, 1).</param>
    public double Loss(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets, bool gradient, bool training = false, Random? random = null,
        double teacherForcing = 1, float labelSmoothing = 0f)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        if (sources.Count != targets.Count) throw new ArgumentException($"{sources.Count} sources but {targets.Count} targets.", nameof(targets));
        if (teacherForcing < 1 && random is null) throw new ArgumentNullException(nameof(random), "Scheduled sampling needs a random source.");
        (SequenceLayout layout, int[] order) = Encode(sources, 1, training, random, keepSteps: gradient);
        int b = sources.Count, steps = order.Max(i => targets[i].Length) + 1, end = Architecture.EndOfSequence, tokens = 0;
        Workspace.Grow(ref _targets, b * steps);
        for (int r = 0; r < b; r++)
        {
            int[] target = targets[order[r]];
            for (int t = 0; t < steps; t++) _targets[r * steps + t] = t < target.Length ? CheckTarget(target[t], order[r], t) : t == target.Length ? end : -1;
            tokens += target.Length + 1;
        }
        int NextInput(int t, int row, int gold, ReadOnlySpan<float> logits) =>
            gold < 0 ? end : teacherForcing >= 1 || random!.NextDouble() < teacherForcing ? gold : System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
        double total = Decoder.Forward(_targets, steps, _decoderInitial!, end, NextInput, labelSmoothing, 1f / tokens, training, random);
        if (gradient && double.IsFinite(total)) Backward(layout);
        return total / tokens;
    }

    /// <summary>
    /// Encodes a batch for decoding: keys prepared in the decoder's attention with every source repeated
    /// <paramref name="copies"/> times (rows r * copies + c, r in longest-first order), and the decoder's first
    /// states for those rows. Returns the order (order[r] is the index in <paramref name="sources"/> of row r).
    /// </summary>
    internal (RecurrentState Initial, int[] Order) EncodeForDecoding(IReadOnlyList<int[]> sources, int copies)
    {
        (_, int[] order) = Encode(sources, copies, training: false, random: null, keepSteps: false);
        RecurrentState initial = _decoderInitial!;
        if (copies == 1) return (initial, order);
        var expanded = new RecurrentState(Decoder.Recurrent, sources.Count * copies);
        for (int r = 0; r < sources.Count; r++)
            for (int c = 0; c < copies; c++) initial.CopyRowTo(r, expanded, r * copies + c);
        return (expanded, order);
    }

    private (SequenceLayout Layout, int[] Order) Encode(IReadOnlyList<int[]> sources, int copies, bool training, Random? random, bool keepSteps)
    {
        int b = sources.Count, k = Architecture.KeySize;
        if (b == 0) throw new ArgumentException("The batch is empty.", nameof(sources));
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++)
            lengths[i] = sources[i].Length > 0 ? sources[i].Length : throw new ArgumentException($"Source {i} is empty; a source needs at least one symbol.", nameof(sources));
        SequenceLayout layout = SequenceLayout.Sort(lengths, -1, out int[] order);
        Workspace.Grow(ref _ids, layout.TotalSteps);
        for (int t = 0; t < layout.MaxLength; t++)
            for (int r = 0; r < layout.BatchSizes[t]; r++) _ids[layout.Row(t, r)] = sources[order[r]][t];
        if (_encoderFinal?.BatchSize != b)
        {
            (_encoderFinal, _dEncoderFinal) = (new RecurrentState(_encoder.Recurrent, b), new RecurrentState(_encoder.Recurrent, b));
            (_decoderInitial, _dDecoderInitial) = (new RecurrentState(Decoder.Recurrent, b), new RecurrentState(Decoder.Recurrent, b));
        }
        ReadOnlySpan<float> output = _encoder.Forward(layout, _ids.AsSpan(0, layout.TotalSteps), training, random, initial: null, _encoderFinal);
        int s = layout.MaxLength, rows = b * copies;
        Span<float> keys = Workspace.Grow(ref _keys, rows * s * k).AsSpan(0, rows * s * k);
        keys.Clear();
        int[] keyLengths = new int[rows];
        for (int r = 0; r < b; r++)
            for (int c = 0; c < copies; c++)
            {
                int row = r * copies + c;
                keyLengths[row] = layout.Lengths[r];
                layout.CopySequence(r, output, k, keys.Slice(row * s * k, layout.Lengths[r] * k));
            }
        Decoder.Attention.Prepare(keyLengths, keys, keepSteps);
        _bridge.Forward(_encoderFinal, _decoderInitial!);
        return (layout, order);
    }

    private void Backward(SequenceLayout layout)
    {
        int b = layout.BatchSize, s = layout.MaxLength, k = Architecture.KeySize;
        Decoder.Backward(_decoderInitial!, _dDecoderInitial!);
        Span<float> dKeys = Workspace.Grow(ref _dKeys, b * s * k).AsSpan(0, b * s * k);
        Decoder.Attention.BackwardKeys(dKeys);
        _bridge.Backward(_dDecoderInitial!, _dEncoderFinal!);
        Span<float> dOutput = Workspace.Grow(ref _dOutput, layout.TotalSteps * k).AsSpan(0, layout.TotalSteps * k);
        for (int r = 0; r < b; r++) layout.WriteSequence(r, dKeys.Slice(r * s * k, layout.Lengths[r] * k), k, dOutput);
        _encoder.Backward(dOutput, _dEncoderFinal);
    }

    private int CheckTarget(int id, int example, int t) => (uint)id < (uint)Architecture.TargetVocabularySize ? id
        : throw new ArgumentOutOfRangeException("targets", $"Target {example} holds id {id} at position {t}, outside the vocabulary [0, {Architecture.TargetVocabularySize}).");
}
