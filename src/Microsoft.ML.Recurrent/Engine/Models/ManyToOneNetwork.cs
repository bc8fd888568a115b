using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// A sequence-to-one network: an optional embedding, a (stacked, optionally bidirectional)
/// recurrent network, a pooling of its outputs over time and a dense head. Outputs are raw scores
/// [B, O] (regression values or class logits) in the layout's sorted order. An instance keeps
/// workspaces, so use one per thread (see <see cref="Clone"/>).
/// </summary>
public sealed class ManyToOneNetwork
{
    private readonly Embedding? _embedding;
    private readonly Dropout _inputDropout, _featureDropout;
    private readonly SequencePooler _pooler;
    private float[] _input = [], _output = [], _dOutput = [], _dInput = [], _features = [], _dFeatures = [], _scores = [];
    private int[] _ids = [];
    private SequenceLayout? _layout, _single;

    /// <summary>Creates the network; initializes it from <paramref name="random"/>, or leaves it at zero when null.</summary>
    public ManyToOneNetwork(ManyToOneArchitecture architecture, Random? random)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        if (architecture.VocabularySize > 0) _embedding = new Embedding(architecture.VocabularySize, architecture.InputSize, "embedding.");
        Recurrent = new RecurrentNetwork(architecture.Cell, architecture.InputSize, architecture.HiddenSize, architecture.NumLayers, architecture.Bidirectional)
        {
            InterLayerDropout = architecture.Dropout,
        };
        Head = new Dense(Recurrent.OutputSize, architecture.OutputSize, "head.");
        _inputDropout = new Dropout(architecture.Dropout, variational: true);
        _featureDropout = new Dropout(architecture.Dropout);
        _pooler = new SequencePooler(architecture.Pooling, Recurrent.Directions);
        Parameters = [.. _embedding is null ? [] : new[] { _embedding.Weight }, .. Recurrent.Parameters, .. Head.Parameters];
        if (random is null) return;
        if (_embedding is not null) Initializer.Normal(_embedding.Weight, 1f / MathF.Sqrt(architecture.InputSize), random);
        DefaultInitialization.Apply(Recurrent, random);
        Initializer.XavierUniform(Head.Weight, random);
    }

    /// <summary>Convenience constructor for a network on float frames.</summary>
    public ManyToOneNetwork(Cells.CellType cellType, int inputSize, int hiddenSize, int outputSize, int numLayers = 1, bool bidirectional = false, int seed = 0)
        : this(new ManyToOneArchitecture(cellType, inputSize, hiddenSize, outputSize) { NumLayers = numLayers, Bidirectional = bidirectional }, new Random(seed))
    {
    }

    /// <summary>The shape of the network.</summary>
    public ManyToOneArchitecture Architecture { get; }

    /// <summary>The recurrent body.</summary>
    public RecurrentNetwork Recurrent { get; }

    /// <summary>The dense head.</summary>
    public Dense Head { get; }

    /// <summary>All parameters: embedding (if any), body, head.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>A new network with the same architecture and a copy of the parameter values, with its own workspaces.</summary>
    public ManyToOneNetwork Clone()
    {
        var copy = new ManyToOneNetwork(Architecture, random: null);
        for (int i = 0; i < Parameters.Count; i++) copy.Parameters[i].Load(Parameters[i].Value);
        return copy;
    }

    /// <summary>Runs forward on float frames and returns the scores [B, O] in the layout's (sorted) order.</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="input">[N, I] packed input.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <param name="random">Dropout masks (needed when training with dropout).</param>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<float> input, bool training = false, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (_embedding is not null) throw new InvalidOperationException("This network embeds token ids; call the Forward overload that takes ids.");
        Guard.Length(input, layout.TotalSteps * Recurrent.InputSize, nameof(input), $"[N={layout.TotalSteps}, I={Recurrent.InputSize}]");
        Grow(ref _input, input.Length);
        input.CopyTo(_input);
        return Run(layout, training, random);
    }

    /// <summary>Runs forward on token ids [N] (packed) and returns the scores [B, O] in the layout's (sorted) order.</summary>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<int> ids, bool training = false, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Embedding embedding = _embedding ?? throw new InvalidOperationException("This network reads float frames; call the Forward overload that takes floats.");
        if (ids.Length != layout.TotalSteps) throw new ArgumentException($"ids must hold one id per packed step ({layout.TotalSteps}) but holds {ids.Length}.", nameof(ids));
        if (_ids.Length < ids.Length) _ids = new int[ids.Length];
        ids.CopyTo(_ids);
        Grow(ref _input, ids.Length * embedding.EmbeddingSize);
        embedding.Forward(ids, _input.AsSpan(0, ids.Length * embedding.EmbeddingSize));
        return Run(layout, training, random);
    }

    private ReadOnlySpan<float> Run(SequenceLayout layout, bool training, Random? random)
    {
        if (training && Architecture.Dropout > 0f && random is null) throw new ArgumentNullException(nameof(random), "Training with dropout needs a random source.");
        int n = layout.TotalSteps, b = layout.BatchSize, width = Recurrent.OutputSize, inputWidth = n * Recurrent.InputSize;
        Grow(ref _output, n * width); Grow(ref _dOutput, n * width); Grow(ref _dInput, inputWidth);
        Grow(ref _features, b * width); Grow(ref _dFeatures, b * width);
        Grow(ref _scores, b * Head.OutputSize);
        _layout = layout;
        if (_single is null || _single.BatchSize != b) _single = SequenceLayout.FromSortedLengths(Enumerable.Repeat(1, b).ToArray());

        Span<float> input = _input.AsSpan(0, inputWidth);
        _inputDropout.Forward(layout, input, Recurrent.InputSize, input, training, random!);
        Span<float> output = _output.AsSpan(0, n * width);
        Recurrent.Forward(layout, input, default, default, output, default, default, training, random);
        Span<float> features = _features.AsSpan(0, b * width);
        _pooler.Forward(layout, output, width, features);
        _featureDropout.Forward(_single, features, width, features, training, random!);
        Span<float> scores = _scores.AsSpan(0, b * Head.OutputSize);
        Head.Forward(b, features, scores);
        return scores;
    }

    /// <summary>Backpropagates dLoss/dScores [B, O] of the last forward call into the parameter gradients.</summary>
    public void Backward(ReadOnlySpan<float> dScores)
    {
        SequenceLayout layout = _layout ?? throw new InvalidOperationException("Call Forward before Backward.");
        int n = layout.TotalSteps, b = layout.BatchSize, width = Recurrent.OutputSize, inputWidth = n * Recurrent.InputSize;
        Span<float> dFeatures = _dFeatures.AsSpan(0, b * width);
        Head.Backward(b, _features.AsSpan(0, b * width), dScores, dFeatures);
        _featureDropout.Backward(dFeatures, dFeatures);
        Span<float> dOutput = _dOutput.AsSpan(0, n * width);
        dOutput.Clear();
        _pooler.Backward(layout, dFeatures, width, dOutput);
        Span<float> dInput = _embedding is null ? default : _dInput.AsSpan(0, inputWidth);
        Recurrent.Backward(layout, _input.AsSpan(0, inputWidth), default, default, _output.AsSpan(0, n * width), dOutput,
            default, default, dInput, default, default);
        if (_embedding is null) return;
        _inputDropout.Backward(dInput, dInput);
        _embedding.Backward(_ids.AsSpan(0, n), dInput);
    }

    private static void Grow(ref float[] buffer, int size)
    {
        if (buffer.Length < size) buffer = new float[size];
    }
}
