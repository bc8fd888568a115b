using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// A recurrent language model: symbol ids through an embedding and a stacked LSTM/GRU
/// (<see cref="SequenceEncoder"/>, variational dropout), dropout on the top layer's output, and a dense
/// layer giving one logit per vocabulary symbol and step (optionally tied to the embedding). Trained by
/// next-symbol cross-entropy; states carry across calls for truncated BPTT and for generation one step
/// at a time. An instance keeps workspaces: use one per thread.
/// </summary>
/// <remarks>Dims legend: N = packed steps, B = streams, V = vocabulary, E = embedding width, H = hidden size.</remarks>
public sealed class LanguageModelNetwork
{
    private readonly SequenceEncoder _encoder;
    private readonly Dropout _outputDropout;
    private float[] _top = [], _logits = [], _dLogits = [], _dTop = [];
    private SequenceLayout? _layout, _stepLayout;

    /// <summary>Creates the network with zero weights (see <see cref="Initialize"/>).</summary>
    public LanguageModelNetwork(LanguageModelArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        _encoder = new SequenceEncoder(architecture.Cell, architecture.EmbeddingSize, architecture.HiddenSize, architecture.NumLayers,
            bidirectional: false, architecture.VocabularySize, architecture.Dropout);
        _outputDropout = new Dropout(architecture.Dropout, variational: true);
        Head = architecture.TieWeights ? new Dense(_encoder.Embedding!.Weight, "output.") : new Dense(architecture.HiddenSize, architecture.VocabularySize, "output.");
        Parameters = [.. _encoder.Parameters, .. architecture.TieWeights ? [Head.Bias] : Head.Parameters];
    }

    /// <summary>The shape.</summary>
    public LanguageModelArchitecture Architecture { get; }

    /// <summary>The recurrent stack.</summary>
    public RecurrentNetwork Recurrent => _encoder.Recurrent;

    /// <summary>The output layer [H -> V] (its weight is the embedding when tied).</summary>
    public Dense Head { get; }

    /// <summary>Embedding, recurrent and output parameters (a tied weight once).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Whether the recurrent weights are packed once for inference (see <see cref="RecurrentNetwork.Frozen"/>).</summary>
    public bool Frozen
    {
        get => Recurrent.Frozen;
        set => Recurrent.Frozen = value;
    }

    /// <summary>Embedding N(0, 1/E) (uniform +-0.1 when tied, so the output starts near uniform), recurrent defaults, output layer Xavier.</summary>
    public void Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _encoder.Initialize(random);
        if (Architecture.TieWeights)
            for (int i = 0; i < Head.Weight.Size; i++) Head.Weight.Value[i] = (random.NextSingle() * 2 - 1) * 0.1f;
        else Initializer.XavierUniform(Head.Weight, random);
    }

    /// <summary>A copy with the same weights and its own workspaces.</summary>
    public LanguageModelNetwork Clone()
    {
        var copy = new LanguageModelNetwork(Architecture);
        for (int i = 0; i < Parameters.Count; i++) copy.Parameters[i].Load(Parameters[i].Value);
        return copy;
    }

    /// <summary>Zero states for <paramref name="streams"/> streams.</summary>
    public RecurrentState NewState(int streams) => new(Recurrent, streams);

    /// <summary>Runs forward and returns the logits [N, V].</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="ids">[N] input symbols in [0, V).</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <param name="random">Dropout masks (needed when training with dropout).</param>
    /// <param name="initial">States to start from (the previous window's final states), or null for zeros.</param>
    /// <param name="final">Receives the final states, or null; must not be <paramref name="initial"/> when training (backward reads the initial states).</param>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<int> ids, bool training = false, Random? random = null,
        RecurrentState? initial = null, RecurrentState? final = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int n = layout.TotalSteps, h = Architecture.HiddenSize, v = Architecture.VocabularySize;
        ReadOnlySpan<float> encoded = _encoder.Forward(layout, ids, training, random, initial, final);
        Workspace.Grow(ref _top, n * h);
        Span<float> top = _top.AsSpan(0, n * h);
        _outputDropout.Forward(layout, encoded, h, top, training, random!);
        Workspace.Grow(ref _logits, n * v);
        Head.Forward(n, top, _logits.AsSpan(0, n * v));
        _layout = layout;
        return _logits.AsSpan(0, n * v);
    }

    /// <summary>
    /// The mean next-symbol cross-entropy in nats over the steps of the last forward call, against
    /// <paramref name="targets"/> [N], and, when <paramref name="gradient"/>, its gradient backpropagated
    /// into the parameters (not into the initial states: truncated BPTT).
    /// </summary>
    public double Loss(ReadOnlySpan<int> targets, bool gradient)
    {
        SequenceLayout layout = _layout ?? throw new InvalidOperationException("Call Forward before Loss.");
        int n = layout.TotalSteps, h = Architecture.HiddenSize, v = Architecture.VocabularySize;
        Workspace.Grow(ref _dLogits, n * v);
        Span<float> dLogits = gradient ? _dLogits.AsSpan(0, n * v) : default;
        double loss = SoftmaxCrossEntropy.Compute(_logits.AsSpan(0, n * v), v, targets, dLogits);
        if (!gradient || !double.IsFinite(loss)) return loss;
        Workspace.Grow(ref _dTop, n * h);
        Span<float> dTop = _dTop.AsSpan(0, n * h);
        Head.Backward(n, _top.AsSpan(0, n * h), dLogits, dTop);
        _outputDropout.Backward(dTop, dTop);
        _encoder.Backward(dTop);
        return loss;
    }

    /// <summary>
    /// Advances <paramref name="streams"/> by one symbol each (inference, no dropout): reads the states in
    /// <paramref name="from"/>, writes the next ones to <paramref name="to"/> (a different object) and returns the logits [B, V].
    /// </summary>
    public ReadOnlySpan<float> Step(ReadOnlySpan<int> ids, RecurrentState from, RecurrentState to, int streams)
    {
        if (ids.Length != streams) throw new ArgumentException($"ids must hold one symbol per stream ({streams}) but hold {ids.Length}.", nameof(ids));
        if (ReferenceEquals(from, to)) throw new ArgumentException("Step reads one state and writes another; pass two objects.", nameof(to));
        if (_stepLayout is null || _stepLayout.BatchSize != streams) _stepLayout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(1, streams).ToArray());
        return Forward(_stepLayout, ids, training: false, random: null, from, to);
    }
}
