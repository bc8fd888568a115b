using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// A forecaster's network over windows of equal length: a recurrent encoder, a dense head and, optionally, a
/// linear autoregressive part over the window's W values (LSTNet's "highway", Lai et al. 2018), added to the head.
/// When the window carries future steps (known covariates), the head reads the encoder's output at each of the
/// last Hm steps and forecasts that step (one shared head: each forecast comes from the state that has read the
/// covariates up to its own time); otherwise it reads the last state and forecasts every step. Scores come out
/// [B, O] as [q * Hm + h] for output kind q (point, lower, upper). The linear part starts at zero; it carries scale,
/// trend and seasonal lags that a small recurrent network learns slowly from few windows. Keeps workspaces: one per thread.
/// </summary>
internal sealed class ForecastNetwork
{
    private readonly Dropout _headDropout;
    private float[] _features = [], _dFeatures = [], _head = [], _dHead = [], _scores = [], _window = [], _dOutput = [];
    private SequenceLayout? _layout, _rowsLayout;
    private int _batch;

    /// <summary>Creates the network; initializes it from <paramref name="random"/>, or leaves it at zero when null.</summary>
    public ForecastNetwork(ForecastArchitecture architecture, Random? random)
    {
        architecture.Validate();
        Architecture = architecture;
        Encoder = new SequenceEncoder(architecture.Cell, architecture.InputSize, architecture.HiddenSize, architecture.NumLayers, dropout: architecture.Dropout);
        Head = new Dense(Encoder.OutputSize, architecture.OutputsPerStep, "head.");
        Linear = architecture.Linear ? new Dense(architecture.WindowSize, architecture.Outputs, "linear.") : null;
        _headDropout = new Dropout(architecture.Dropout);
        Parameters = [.. Encoder.Parameters, .. Head.Parameters, .. Linear?.Parameters ?? []];
        if (random is null) return;
        Encoder.Initialize(random);
        Initializer.XavierUniform(Head.Weight, random);
    }

    public ForecastArchitecture Architecture { get; }

    public SequenceEncoder Encoder { get; }

    public Dense Head { get; }

    /// <summary>The autoregressive component, or null.</summary>
    public Dense? Linear { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Scores [B, O] of B windows of <paramref name="steps"/> steps (packed time-major <paramref name="input"/>) with their window values [B, W].</summary>
    public ReadOnlySpan<float> Forward(int batchSize, int steps, ReadOnlySpan<float> input, ReadOnlySpan<float> window, bool training = false, Random? random = null)
    {
        ForecastArchitecture a = Architecture;
        int r = a.ReadSteps, rows = batchSize * r, width = Encoder.OutputSize, perStep = a.OutputsPerStep, w = a.WindowSize;
        if (_layout is null || _layout.BatchSize != batchSize || _layout.MaxLength != steps)
        {
            _layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(steps, batchSize).ToArray());
            _rowsLayout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(1, rows).ToArray());
        }
        _batch = batchSize;
        ReadOnlySpan<float> output = Encoder.Forward(_layout, input, training, random);
        Workspace.Grow(ref _features, rows * width);
        Workspace.Grow(ref _head, rows * perStep);
        Workspace.Grow(ref _scores, batchSize * a.Outputs);
        Span<float> features = _features.AsSpan(0, rows * width), head = _head.AsSpan(0, rows * perStep), scores = _scores.AsSpan(0, batchSize * a.Outputs);
        // The last r steps' rows are contiguous in the time-major packing: row (t, b) = t B + b.
        output.Slice((steps - r) * batchSize * width, rows * width).CopyTo(features);
        _headDropout.Forward(_rowsLayout!, features, width, features, training, random!);
        Head.Forward(rows, features, head);
        if (Linear is not null)
        {
            Workspace.Grow(ref _window, batchSize * w);
            window[..(batchSize * w)].CopyTo(_window);
            Linear.Forward(batchSize, window[..(batchSize * w)], scores);
        }
        else scores.Clear();
        for (int b = 0; b < batchSize; b++)
            for (int s = 0; s < r; s++)
                for (int q = 0; q < perStep; q++) scores[b * a.Outputs + q * r + s] += head[(s * batchSize + b) * perStep + q];
        return scores;
    }

    /// <summary>Backpropagates dLoss/dScores [B, O] of the last forward call into every parameter's gradient.</summary>
    public void Backward(ReadOnlySpan<float> dScores)
    {
        SequenceLayout layout = _layout ?? throw new InvalidOperationException("Call Forward before Backward.");
        ForecastArchitecture a = Architecture;
        int b = _batch, r = a.ReadSteps, rows = b * r, width = Encoder.OutputSize, perStep = a.OutputsPerStep, n = layout.TotalSteps;
        Workspace.Grow(ref _dHead, rows * perStep);
        Workspace.Grow(ref _dFeatures, rows * width);
        Span<float> dHead = _dHead.AsSpan(0, rows * perStep), dFeatures = _dFeatures.AsSpan(0, rows * width);
        for (int i = 0; i < b; i++)
            for (int s = 0; s < r; s++)
                for (int q = 0; q < perStep; q++) dHead[(s * b + i) * perStep + q] = dScores[i * a.Outputs + q * r + s];
        Linear?.Backward(b, _window.AsSpan(0, b * a.WindowSize), dScores[..(b * a.Outputs)], default);
        Head.Backward(rows, _features.AsSpan(0, rows * width), dHead, dFeatures);
        _headDropout.Backward(dFeatures, dFeatures);
        Workspace.Grow(ref _dOutput, n * width);
        Span<float> dOutput = _dOutput.AsSpan(0, n * width);
        dOutput.Clear();
        dFeatures.CopyTo(dOutput[((layout.MaxLength - r) * b * width)..]);
        Encoder.Backward(dOutput);
    }
}
