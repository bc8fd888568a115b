using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// A sequence-to-one network: a <see cref="SequenceEncoder"/> (optional embedding, a stacked,
/// optionally bidirectional recurrent network), a pooling of its outputs over time and a dense head. Outputs are raw scores
/// [B, O] (regression values or class logits) in the layout's sorted order. An instance keeps
/// workspaces, so use one per thread (see <see cref="Clone"/>).
/// </summary>
public sealed class ManyToOneNetwork
{
    private readonly Dropout _featureDropout;
    private readonly SequencePooler _pooler;
    private float[] _dOutput = [], _features = [], _dFeatures = [], _scores = [];
    private SequenceLayout? _layout, _single;

    /// <summary>Creates the network; initializes it from <paramref name="random"/>, or leaves it at zero when null.</summary>
    public ManyToOneNetwork(ManyToOneArchitecture architecture, Random? random)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        Encoder = new SequenceEncoder(architecture.Cell, architecture.InputSize, architecture.HiddenSize, architecture.NumLayers,
            architecture.Bidirectional, architecture.VocabularySize, architecture.Dropout);
        Head = new Dense(Recurrent.OutputSize, architecture.OutputSize, "head.");
        _featureDropout = new Dropout(architecture.Dropout);
        _pooler = new SequencePooler(architecture.Pooling, Recurrent.Directions);
        Parameters = [.. Encoder.Parameters, .. Head.Parameters];
        if (random is null) return;
        Encoder.Initialize(random);
        Initializer.XavierUniform(Head.Weight, random);
    }

    /// <summary>Convenience constructor for a network on float frames.</summary>
    public ManyToOneNetwork(CellType cellType, int inputSize, int hiddenSize, int outputSize, int numLayers = 1, bool bidirectional = false, int seed = 0)
        : this(new ManyToOneArchitecture(cellType, inputSize, hiddenSize, outputSize) { NumLayers = numLayers, Bidirectional = bidirectional }, new Random(seed))
    {
    }

    /// <summary>The shape of the network.</summary>
    public ManyToOneArchitecture Architecture { get; }

    /// <summary>The embedding (for token input), input dropout and recurrent body.</summary>
    public SequenceEncoder Encoder { get; }

    /// <summary>The recurrent body.</summary>
    public RecurrentNetwork Recurrent => Encoder.Recurrent;

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
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<float> input, bool training = false, Random? random = null) =>
        Score(layout, Encoder.Forward(layout, input, training, random), training, random);

    /// <summary>Runs forward on token ids [N] (packed) and returns the scores [B, O] in the layout's (sorted) order.</summary>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<int> ids, bool training = false, Random? random = null) =>
        Score(layout, Encoder.Forward(layout, ids, training, random), training, random);

    /// <summary>Pooling, feature dropout and the dense head over the encoder's outputs.</summary>
    private ReadOnlySpan<float> Score(SequenceLayout layout, ReadOnlySpan<float> output, bool training, Random? random)
    {
        int b = layout.BatchSize, width = Recurrent.OutputSize;
        Workspace.Grow(ref _features, b * width); Workspace.Grow(ref _dFeatures, b * width);
        Workspace.Grow(ref _scores, b * Head.OutputSize);
        _layout = layout;
        if (_single is null || _single.BatchSize != b) _single = SequenceLayout.FromSortedLengths(Enumerable.Repeat(1, b).ToArray());
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
        int n = layout.TotalSteps, b = layout.BatchSize, width = Recurrent.OutputSize;
        Span<float> dFeatures = _dFeatures.AsSpan(0, b * width);
        Head.Backward(b, _features.AsSpan(0, b * width), dScores, dFeatures);
        _featureDropout.Backward(dFeatures, dFeatures);
        Workspace.Grow(ref _dOutput, n * width);
        Span<float> dOutput = _dOutput.AsSpan(0, n * width);
        dOutput.Clear();
        _pooler.Backward(layout, dFeatures, width, dOutput);
        Encoder.Backward(dOutput);
    }
}
