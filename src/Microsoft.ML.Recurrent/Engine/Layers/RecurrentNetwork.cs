using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// A stack of recurrent layers, optionally bidirectional, with PyTorch's <c>nn.LSTM</c> /
/// <c>nn.GRU</c> / <c>nn.RNN</c> semantics: layer k &gt; 0 reads the previous layer's output
/// ([N, D*H], forward half first), states are [L*D, B, H] in the order layer0 fwd, layer0 bwd,
/// layer1 fwd, ..., and parameters are named <c>weight_ih_l{k}[_reverse]</c> and so on.
/// <see cref="InterLayerDropout"/> drops outputs of every layer but the last during training, like
/// the <c>dropout</c> argument of PyTorch's recurrent modules.
/// </summary>
public sealed partial class RecurrentNetwork
{
    private readonly RecurrentLayer[] _layers;
    private float[][] _hidden = [];
    private float[][] _dHidden = [];
    private float[][] _dropped = [];
    private Dropout[] _dropouts = [];
    private bool _dropping;

    /// <summary>Creates the network.</summary>
    /// <param name="cellType">Cell of every layer.</param>
    /// <param name="inputSize">I.</param>
    /// <param name="hiddenSize">H.</param>
    /// <param name="numLayers">L, at least 1.</param>
    /// <param name="bidirectional">Whether each layer also runs in reverse (D = 2).</param>
    /// <param name="namePrefix">Prefix of every parameter name (e.g. <c>decoder.</c>), for models with several stacks.</param>
    public RecurrentNetwork(CellType cellType, int inputSize, int hiddenSize, int numLayers = 1, bool bidirectional = false, string namePrefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numLayers, 1);
        CellType = cellType;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Directions = bidirectional ? 2 : 1;
        _layers = new RecurrentLayer[numLayers * Directions];
        for (int l = 0; l < numLayers; l++)
            for (int d = 0; d < Directions; d++)
                _layers[l * Directions + d] = new RecurrentLayer(cellType, l == 0 ? inputSize : Directions * hiddenSize, hiddenSize,
                    reverse: d == 1, nameSuffix: $"_l{l}" + (d == 1 ? "_reverse" : ""), namePrefix);
        Parameters = _layers.SelectMany(x => x.Parameters).ToArray();
    }

    /// <summary>A network over <paramref name="source"/>'s parameters with its own workspaces (see <see cref="ShareWeights"/>).</summary>
    private RecurrentNetwork(RecurrentNetwork source)
    {
        (CellType, InputSize, HiddenSize, NumLayers, Directions) = (source.CellType, source.InputSize, source.HiddenSize, source.NumLayers, source.Directions);
        _layers = [.. source._layers.Select(layer => new RecurrentLayer(layer))];
        Parameters = source.Parameters;
        InterLayerDropout = source.InterLayerDropout;
    }

    /// <summary>
    /// A network that uses this one's parameters (the same objects: values are shared and gradients add up in them)
    /// with its own workspaces and caches: a decoder that runs one step at a time keeps one per step, so backward
    /// can revisit every step. Cells with parameters of their own (peephole LSTM) cannot share.
    /// </summary>
    internal RecurrentNetwork ShareWeights() => new(this);

    /// <summary>Tells the replicas (<see cref="ShareWeights"/>) that the weights may have changed: their shared packed copies are remade on next use.</summary>
    internal void BeginReplicaPass()
    {
        foreach (RecurrentLayer layer in _layers) layer.BeginReplicaPass();
    }

    /// <summary>The cell type of every layer.</summary>
    public CellType CellType { get; }

    /// <summary>I.</summary>
    public int InputSize { get; }

    /// <summary>H.</summary>
    public int HiddenSize { get; }

    /// <summary>L.</summary>
    public int NumLayers { get; }

    /// <summary>D: 2 when bidirectional, else 1.</summary>
    public int Directions { get; }

    /// <summary>Width of the output rows, D*H.</summary>
    public int OutputSize => Directions * HiddenSize;

    /// <summary>Whether the cells carry a cell state (LSTM).</summary>
    public bool HasCellState => _layers[0].HasCellState;

    /// <summary>Layers in PyTorch order (layer-major, forward before reverse).</summary>
    public IReadOnlyList<RecurrentLayer> Layers => _layers;

    /// <summary>All parameters in PyTorch order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Whether every layer holds its weights constant for inference (see <see cref="RecurrentLayer.Frozen"/>):
    /// weight matrices are packed once and reused, so parameter values may change only while unfrozen (or
    /// be frozen again after a change), and <c>Backward</c> is refused.
    /// </summary>
    public bool Frozen
    {
        get => _layers[0].Frozen;
        set { foreach (RecurrentLayer layer in _layers) layer.Frozen = value; }
    }

    /// <summary>Probability in [0, 1) of dropping each output of a layer below the top one when training (0: none).</summary>
    public float InterLayerDropout
    {
        get => _dropouts.Length == 0 ? 0f : _dropouts[0].Probability;
        set => _dropouts = value == 0f ? [] : [.. Enumerable.Range(0, NumLayers - 1).Select(_ => new Dropout(value))];
    }

    /// <summary>Runs the network forward.</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="input">[N, I] packed input; must be finite.</param>
    /// <param name="h0">[L*D, B, H] initial hidden states, or empty for zeros.</param>
    /// <param name="c0">[L*D, B, H] initial cell states (LSTM), or empty for zeros.</param>
    /// <param name="output">[N, D*H] receives the last layer's output.</param>
    /// <param name="hN">[L*D, B, H] receives the final hidden states, or empty.</param>
    /// <param name="cN">[L*D, B, H] receives the final cell states, or empty.</param>
    public void Forward(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        Span<float> output, Span<float> hN, Span<float> cN) => Forward(layout, input, h0, c0, output, hN, cN, training: false, random: null);

    /// <summary>Runs the network forward, applying <see cref="InterLayerDropout"/> when <paramref name="training"/>.</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="input">[N, I] packed input.</param>
    /// <param name="h0">[L*D, B, H] initial hidden states, or empty for zeros.</param>
    /// <param name="c0">[L*D, B, H] initial cell states (LSTM), or empty for zeros.</param>
    /// <param name="output">[N, D*H] receives the last layer's output.</param>
    /// <param name="hN">[L*D, B, H] receives the final hidden states, or empty.</param>
    /// <param name="cN">[L*D, B, H] receives the final cell states, or empty.</param>
    /// <param name="training">Whether dropout between layers is active.</param>
    /// <param name="random">Source of the dropout masks (needed when training with dropout).</param>
    public void Forward(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        Span<float> output, Span<float> hN, Span<float> cN, bool training, Random? random)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Guard.Finite(input, nameof(input));
        int n = layout.TotalSteps, width = OutputSize;
        CheckStates(layout, h0, nameof(h0)); CheckStates(layout, c0, nameof(c0));
        CheckStates(layout, hN, nameof(hN)); CheckStates(layout, cN, nameof(cN));
        if (output.Length != n * width)
            throw new ArgumentException($"output must hold {n * width} values ([N={n}, D*H={width}]) but holds {output.Length}.", nameof(output));
        _dropping = training && _dropouts.Length > 0;
        if (_dropping) ArgumentNullException.ThrowIfNull(random, nameof(random));
        if (_hidden.Length != NumLayers - 1) { _hidden = new float[NumLayers - 1][]; _dHidden = new float[NumLayers - 1][]; _dropped = new float[NumLayers - 1][]; }
        for (int l = 0; l < NumLayers - 1; l++)
            if (_hidden[l] is null || _hidden[l].Length < n * width) { _hidden[l] = new float[n * width]; _dHidden[l] = new float[n * width]; }
        for (int l = 0; l < NumLayers - 1 && _dropping; l++)
            if (_dropped[l] is null || _dropped[l].Length < n * width) _dropped[l] = new float[n * width];

        ReadOnlySpan<float> layerInput = input;
        for (int l = 0; l < NumLayers; l++)
        {
            Span<float> layerOutput = l == NumLayers - 1 ? output : _hidden[l].AsSpan(0, n * width);
            RunForward(l, layout, layerInput, h0, c0, layerOutput, hN, cN);
            if (l == NumLayers - 1) break;
            if (_dropping)
            {
                // The next layer reads a dropped copy; this layer's backward still needs its own outputs.
                Span<float> dropped = _dropped[l].AsSpan(0, n * width);
                _dropouts[l].Forward(layout, layerOutput, width, dropped, training: true, random!);
                layerInput = dropped;
            }
            else layerInput = layerOutput;
        }
    }

    /// <summary>Runs the network forward from <paramref name="initial"/> states (zeros when null), writing the final states to <paramref name="final"/> when given.</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="input">[N, I] packed input.</param>
    /// <param name="output">[N, D*H] receives the last layer's output.</param>
    /// <param name="initial">States to start from, or null for zeros.</param>
    /// <param name="final">Receives each sequence's state after its last step, or null.</param>
    /// <param name="training">Whether dropout between layers is active.</param>
    /// <param name="random">Source of the dropout masks (needed when training with dropout).</param>
    public void Forward(SequenceLayout layout, ReadOnlySpan<float> input, Span<float> output, RecurrentState? initial = null,
        RecurrentState? final = null, bool training = false, Random? random = null) =>
        Forward(layout, input, initial?.Hidden, initial?.Cell, output, final?.Hidden, final?.Cell, training, random);

    /// <summary>Backpropagates the last forward call with states as <see cref="RecurrentState"/>s (null: none).</summary>
    /// <param name="layout">Layout of the forward call.</param>
    /// <param name="input">[N, I] the forward input.</param>
    /// <param name="output">[N, D*H] the forward output.</param>
    /// <param name="dOutput">[N, D*H] gradient of the loss with respect to the output.</param>
    /// <param name="dInput">[N, I] receives the input gradient, or empty to skip it.</param>
    /// <param name="initial">The forward call's initial states, or null.</param>
    /// <param name="dFinal">Gradient of the loss with respect to the final states, or null.</param>
    /// <param name="dInitial">Receives the gradient with respect to the initial states, or null.</param>
    public void Backward(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> dOutput,
        Span<float> dInput = default, RecurrentState? initial = null, RecurrentState? dFinal = null, RecurrentState? dInitial = null) =>
        Backward(layout, input, initial?.Hidden, initial?.Cell, output, dOutput, dFinal?.Hidden, dFinal?.Cell, dInput, dInitial?.Hidden, dInitial?.Cell);

    /// <summary>Backpropagates the last forward call, accumulating into the parameter gradients.</summary>
    /// <param name="layout">Layout of the forward call.</param>
    /// <param name="input">[N, I] the forward input.</param>
    /// <param name="h0">[L*D, B, H] the forward initial states, or empty.</param>
    /// <param name="c0">[L*D, B, H] the forward initial cell states, or empty.</param>
    /// <param name="output">[N, D*H] the forward output.</param>
    /// <param name="dOutput">[N, D*H] gradient of the loss with respect to the output.</param>
    /// <param name="dhN">[L*D, B, H] gradient of the final hidden states, or empty.</param>
    /// <param name="dcN">[L*D, B, H] gradient of the final cell states, or empty.</param>
    /// <param name="dInput">[N, I] receives the input gradient, or empty to skip it.</param>
    /// <param name="dh0">[L*D, B, H] receives the initial-state gradients, or empty.</param>
    /// <param name="dc0">[L*D, B, H] receives the initial cell-state gradients, or empty.</param>
    public void Backward(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        ReadOnlySpan<float> output, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> dhN, ReadOnlySpan<float> dcN,
        Span<float> dInput, Span<float> dh0, Span<float> dc0)
    {
        int n = layout.TotalSteps, width = OutputSize;
        if (dOutput.Length != n * width)
            throw new ArgumentException($"dOutput must hold {n * width} values ([N={n}, D*H={width}]) but holds {dOutput.Length}.", nameof(dOutput));
        CheckStates(layout, h0, nameof(h0)); CheckStates(layout, c0, nameof(c0));
        CheckStates(layout, dhN, nameof(dhN)); CheckStates(layout, dcN, nameof(dcN));
        CheckStates(layout, dh0, nameof(dh0)); CheckStates(layout, dc0, nameof(dc0));
        for (int l = NumLayers - 1; l >= 0; l--)
        {
            ReadOnlySpan<float> layerInput = l == 0 ? input : (_dropping ? _dropped : _hidden)[l - 1].AsSpan(0, n * width);
            ReadOnlySpan<float> layerOutput = l == NumLayers - 1 ? output : _hidden[l].AsSpan(0, n * width);
            ReadOnlySpan<float> dLayerOutput = l == NumLayers - 1 ? dOutput : _dHidden[l].AsSpan(0, n * width);
            Span<float> dLayerInput = l == 0 ? dInput : _dHidden[l - 1].AsSpan(0, n * width);
            RunBackward(l, layout, layerInput, h0, c0, layerOutput, dLayerOutput, dhN, dcN, dLayerInput, dh0, dc0);
            if (l > 0 && _dropping) _dropouts[l - 1].Backward(dLayerInput, dLayerInput);
        }
    }

    private void CheckStates(SequenceLayout layout, ReadOnlySpan<float> states, string name)
    {
        int expected = NumLayers * Directions * layout.BatchSize * HiddenSize;
        if (!states.IsEmpty && states.Length != expected)
            throw new ArgumentException($"{name} must hold {expected} values ([L*D={NumLayers * Directions}, B={layout.BatchSize}, H={HiddenSize}]) but holds {states.Length}.", name);
        if (!states.IsEmpty && name is "h0" or "c0") Guard.Finite(states, name);
    }
}
