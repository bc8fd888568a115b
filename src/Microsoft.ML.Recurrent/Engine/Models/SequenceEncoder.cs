using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// The front half every sequence model shares: token ids through an embedding (or float frames as
/// they are), variational dropout on the recurrent input, and a stacked, optionally bidirectional
/// recurrent network (with dropout between layers), giving one output row per step [N, D*H].
/// Many-to-one networks pool it; taggers, CTC models and language models put a per-step head on it;
/// seq2seq reads its final states. An instance keeps workspaces: use one per thread.
/// </summary>
public sealed class SequenceEncoder
{
    private readonly Dropout _inputDropout;
    private float[] _input = [], _output = [], _dInput = [];
    private int[] _ids = [];
    private SequenceLayout? _layout;
    private RecurrentState? _initial;

    /// <summary>Creates the encoder with zero weights (see <see cref="Initialize"/>).</summary>
    /// <param name="cell">Recurrent cell.</param>
    /// <param name="inputSize">Features per step: the embedding width when <paramref name="vocabularySize"/> &gt; 0, else the frame size.</param>
    /// <param name="hiddenSize">Hidden units per direction.</param>
    /// <param name="numLayers">Stacked layers.</param>
    /// <param name="bidirectional">Whether each layer also reads backwards.</param>
    /// <param name="vocabularySize">Token ids in [0, vocabularySize) are embedded; 0 reads float frames.</param>
    /// <param name="dropout">Drop probability on the recurrent input (one mask per sequence) and between layers.</param>
    public SequenceEncoder(CellType cell, int inputSize, int hiddenSize, int numLayers = 1, bool bidirectional = false, int vocabularySize = 0, float dropout = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vocabularySize);
        if (vocabularySize > 0) Embedding = new Embedding(vocabularySize, inputSize, "embedding.");
        Recurrent = new RecurrentNetwork(cell, inputSize, hiddenSize, numLayers, bidirectional) { InterLayerDropout = dropout };
        _inputDropout = new Dropout(dropout, variational: true);
        Dropout = dropout;
        Parameters = [.. Embedding is null ? [] : new[] { Embedding.Weight }, .. Recurrent.Parameters];
    }

    /// <summary>The token embedding, or null for frame input.</summary>
    public Embedding? Embedding { get; }

    /// <summary>The recurrent body.</summary>
    public RecurrentNetwork Recurrent { get; }

    /// <summary>The dropout probability.</summary>
    public float Dropout { get; }

    /// <summary>Width of an output row, D*H.</summary>
    public int OutputSize => Recurrent.OutputSize;

    /// <summary>The embedding (if any), then the recurrent parameters in PyTorch order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The output of the last forward call, [N, D*H].</summary>
    public ReadOnlySpan<float> Output => _layout is null ? default : _output.AsSpan(0, _layout.TotalSteps * OutputSize);

    /// <summary>The gradient with respect to the frames of the last backward call with <c>frameGradient</c>, [N, I] (frame input only).</summary>
    public ReadOnlySpan<float> InputGradient => _layout is null || Embedding is not null ? default : _dInput.AsSpan(0, _layout.TotalSteps * Recurrent.InputSize);

    /// <summary>Initializes the embedding N(0, 1/I) and the recurrent weights (<see cref="DefaultInitialization"/>) from <paramref name="random"/>.</summary>
    public void Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Embedding is not null) Initializer.Normal(Embedding.Weight, 1f / MathF.Sqrt(Embedding.EmbeddingSize), random);
        DefaultInitialization.Apply(Recurrent, random);
    }

    /// <summary>Runs forward on float frames [N, I] and returns the outputs [N, D*H].</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="frames">[N, I] packed frames.</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <param name="random">Dropout masks (needed when training with dropout).</param>
    /// <param name="initial">States to start from, or null for zeros.</param>
    /// <param name="final">Receives the final states, or null.</param>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<float> frames, bool training = false, Random? random = null,
        RecurrentState? initial = null, RecurrentState? final = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (Embedding is not null) throw new InvalidOperationException("This encoder embeds token ids; call the Forward overload that takes ids.");
        Guard.Length(frames, layout.TotalSteps * Recurrent.InputSize, nameof(frames), $"[N={layout.TotalSteps}, I={Recurrent.InputSize}]");
        Workspace.Grow(ref _input, frames.Length);
        frames.CopyTo(_input);
        return Run(layout, training, random, initial, final);
    }

    /// <summary>Runs forward on token ids [N] (packed) and returns the outputs [N, D*H].</summary>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<int> ids, bool training = false, Random? random = null,
        RecurrentState? initial = null, RecurrentState? final = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Embedding embedding = Embedding ?? throw new InvalidOperationException("This encoder reads float frames; call the Forward overload that takes floats.");
        if (ids.Length != layout.TotalSteps) throw new ArgumentException($"ids must hold one id per packed step ({layout.TotalSteps}) but holds {ids.Length}.", nameof(ids));
        if (_ids.Length < ids.Length) _ids = new int[ids.Length];
        ids.CopyTo(_ids);
        Workspace.Grow(ref _input, ids.Length * embedding.EmbeddingSize);
        embedding.Forward(ids, _input.AsSpan(0, ids.Length * embedding.EmbeddingSize));
        return Run(layout, training, random, initial, final);
    }

    private ReadOnlySpan<float> Run(SequenceLayout layout, bool training, Random? random, RecurrentState? initial, RecurrentState? final)
    {
        if (training && Dropout > 0f && random is null) throw new ArgumentNullException(nameof(random), "Training with dropout needs a random source.");
        int n = layout.TotalSteps, width = OutputSize, inputWidth = n * Recurrent.InputSize;
        Workspace.Grow(ref _output, n * width);
        _layout = layout;
        _initial = initial;
        Span<float> input = _input.AsSpan(0, inputWidth);
        _inputDropout.Forward(layout, input, Recurrent.InputSize, input, training, random!);
        Span<float> output = _output.AsSpan(0, n * width);
        Recurrent.Forward(layout, input, output, initial, final, training, random);
        return output;
    }

    /// <summary>Backpropagates dLoss/dOutput [N, D*H] of the last forward call into the parameter gradients (and <see cref="InputGradient"/>).</summary>
    /// <param name="dOutput">[N, D*H] gradient with respect to the outputs.</param>
    /// <param name="dFinal">Gradient with respect to the final states, or null.</param>
    /// <param name="dInitial">Receives the gradient with respect to the initial states, or null.</param>
    /// <param name="frameGradient">For frame input: also compute <see cref="InputGradient"/> (a convolutional front end needs it); token input always backpropagates into the embedding.</param>
    public void Backward(ReadOnlySpan<float> dOutput, RecurrentState? dFinal = null, RecurrentState? dInitial = null, bool frameGradient = false)
    {
        SequenceLayout layout = _layout ?? throw new InvalidOperationException("Call Forward before Backward.");
        int n = layout.TotalSteps, inputWidth = n * Recurrent.InputSize;
        bool needed = Embedding is not null || frameGradient;
        if (needed) Workspace.Grow(ref _dInput, inputWidth);
        Span<float> dInput = needed ? _dInput.AsSpan(0, inputWidth) : default;
        Recurrent.Backward(layout, _input.AsSpan(0, inputWidth), _output.AsSpan(0, n * OutputSize), dOutput, dInput, _initial, dFinal, dInitial);
        if (!needed) return;
        _inputDropout.Backward(dInput, dInput);
        Embedding?.Backward(_ids.AsSpan(0, n), dInput);
    }
}
