using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// A sequence-to-one network: a (stacked, optionally bidirectional) recurrent network whose last
/// layer's final states (both directions concatenated) feed a dense head. Outputs are raw scores
/// [B, O]: regression values or class logits.
/// </summary>
public sealed class ManyToOneNetwork
{
    private float[] _output = [], _dOutput = [], _hN = [], _cN = [], _dhN = [], _features = [], _dFeatures = [], _scores = [];
    private SequenceLayout? _layout;
    private float[] _input = [], _dScores = [];

    /// <summary>Creates the network and initializes it from <paramref name="seed"/>.</summary>
    public ManyToOneNetwork(CellType cellType, int inputSize, int hiddenSize, int outputSize, int numLayers = 1, bool bidirectional = false, int seed = 0)
    {
        Recurrent = new RecurrentNetwork(cellType, inputSize, hiddenSize, numLayers, bidirectional);
        Head = new Dense(Recurrent.OutputSize, outputSize, "head.");
        Parameters = [.. Recurrent.Parameters, .. Head.Parameters];
        var random = new Random(seed);
        DefaultInitialization.Apply(Recurrent, random);
        Initializer.XavierUniform(Head.Weight, random);
    }

    /// <summary>The recurrent body.</summary>
    public RecurrentNetwork Recurrent { get; }

    /// <summary>The dense head.</summary>
    public Dense Head { get; }

    /// <summary>All parameters, body first.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Runs forward and returns the scores [B, O] in the layout's (sorted) order.</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="input">[N, I] packed input.</param>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int n = layout.TotalSteps, b = layout.BatchSize, states = Recurrent.NumLayers * Recurrent.Directions * b * Recurrent.HiddenSize;
        Grow(ref _output, n * Recurrent.OutputSize); Grow(ref _dOutput, n * Recurrent.OutputSize);
        Grow(ref _hN, states); Grow(ref _dhN, states);
        if (Recurrent.HasCellState) Grow(ref _cN, states);
        Grow(ref _features, b * Recurrent.OutputSize); Grow(ref _dFeatures, b * Recurrent.OutputSize);
        Grow(ref _scores, b * Head.OutputSize);
        Grow(ref _input, input.Length);
        input.CopyTo(_input);
        _layout = layout;

        Recurrent.Forward(layout, input, default, default, _output.AsSpan(0, n * Recurrent.OutputSize),
            _hN.AsSpan(0, states), Recurrent.HasCellState ? _cN.AsSpan(0, states) : default);
        MoveFinalStates(b, toFeatures: true);
        Span<float> scores = _scores.AsSpan(0, b * Head.OutputSize);
        Head.Forward(b, _features.AsSpan(0, b * Recurrent.OutputSize), scores);
        return scores;
    }

    /// <summary>Backpropagates dLoss/dScores [B, O] of the last forward call into the parameter gradients.</summary>
    public void Backward(ReadOnlySpan<float> dScores)
    {
        SequenceLayout layout = _layout ?? throw new InvalidOperationException("Call Forward before Backward.");
        int n = layout.TotalSteps, b = layout.BatchSize, states = Recurrent.NumLayers * Recurrent.Directions * b * Recurrent.HiddenSize;
        int width = Recurrent.OutputSize;
        Head.Backward(b, _features.AsSpan(0, b * width), dScores, _dFeatures.AsSpan(0, b * width));
        _dhN.AsSpan(0, states).Clear();
        MoveFinalStates(b, toFeatures: false);
        Span<float> dOutput = _dOutput.AsSpan(0, n * width);
        dOutput.Clear();
        Recurrent.Backward(layout, _input.AsSpan(0, n * Recurrent.InputSize), default, default, _output.AsSpan(0, n * width), dOutput,
            _dhN.AsSpan(0, states), default, default, default, default);
    }

    /// <summary>
    /// One regression training step: forward, mean squared error against <paramref name="targets"/>
    /// [B, O], backward, clipping by global norm (when <paramref name="maxGradientNorm"/> &gt; 0), the
    /// optimizer's update and zeroed gradients. Returns the loss before the update.
    /// </summary>
    public double TrainRegressionStep(SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> targets,
        Optimizers.Optimizer optimizer, double maxGradientNorm)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ReadOnlySpan<float> scores = Forward(layout, input);
        Grow(ref _dScores, scores.Length);
        Span<float> dScores = _dScores.AsSpan(0, scores.Length);
        double loss = Losses.MeanSquaredError.Compute(scores, targets, dScores);
        Backward(dScores);
        if (maxGradientNorm > 0) Training.GradientClipping.ClipByGlobalNorm(Parameters, maxGradientNorm);
        optimizer.Step();
        optimizer.ZeroGradients();
        return loss;
    }

    /// <summary>Copies the last layer's final states into the features [B, D*H], or their gradients back.</summary>
    private void MoveFinalStates(int batch, bool toFeatures)
    {
        int h = Recurrent.HiddenSize, d = Recurrent.Directions, width = Recurrent.OutputSize;
        for (int dir = 0; dir < d; dir++)
        {
            int slot = (Recurrent.NumLayers - 1) * d + dir;
            for (int b = 0; b < batch; b++)
            {
                int state = (slot * batch + b) * h, feature = b * width + dir * h;
                if (toFeatures) _hN.AsSpan(state, h).CopyTo(_features.AsSpan(feature, h));
                else _dFeatures.AsSpan(feature, h).CopyTo(_dhN.AsSpan(state, h));
            }
        }
    }

    private static void Grow(ref float[] buffer, int size)
    {
        if (buffer.Length < size) buffer = new float[size];
    }
}
