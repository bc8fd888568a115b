using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// A forecaster's network as the training loop sees it: an example is a forecast origin of the scaled series,
/// the loss the mean squared error of the Hm scaled values, plus, with quantile intervals, the pinball losses of
/// the lower and upper quantiles. The validation metric is the RMSE in scaled units over every step.
/// </summary>
internal sealed class ForecastTrainingModel : ITrainableModel<int>
{
    private readonly ForecastFrames _frames;
    private readonly float[][] _scaled;
    private readonly float _lowerQuantile, _upperQuantile;
    private readonly bool _quantiles;
    private float[] _input = [], _window = [], _targets = [], _gradient = [];

    public ForecastTrainingModel(ForecastNetwork network, ForecastFrames frames, float[][] scaled, ForecastIntervalMethod intervals, float confidenceLevel)
    {
        Network = network;
        _frames = frames;
        _scaled = scaled;
        _quantiles = intervals == ForecastIntervalMethod.Quantile;
        _lowerQuantile = (1 - confidenceLevel) / 2;
        _upperQuantile = 1 - _lowerQuantile;
    }

    public ForecastNetwork Network { get; }

    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    public string MetricName => "scaled RMSE";

    public bool HigherIsBetter => false;

    public double TrainBatch(IReadOnlyList<int> batch, Random random)
    {
        ReadOnlySpan<float> scores = Forward(batch, training: true, random);
        Workspace.Grow(ref _gradient, scores.Length);
        Span<float> gradient = _gradient.AsSpan(0, scores.Length);
        double loss = Loss(scores, batch.Count, gradient);
        if (double.IsFinite(loss)) Network.Backward(gradient);
        return loss;
    }

    public (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<int>> batches)
    {
        double loss = 0, squares = 0;
        long count = 0, values = 0;
        int hm = _frames.Outputs, outputs = Network.Architecture.Outputs;
        foreach (IReadOnlyList<int> batch in batches)
        {
            ReadOnlySpan<float> scores = Forward(batch, training: false, null);
            loss += Loss(scores, batch.Count, default) * batch.Count;
            for (int b = 0; b < batch.Count; b++)
                for (int h = 0; h < hm; h++)
                {
                    double e = scores[b * outputs + h] - _targets[b * hm + h];
                    squares += e * e;
                }
            count += batch.Count;
            values += (long)batch.Count * hm;
        }
        if (count == 0) throw new InvalidOperationException("There are no validation windows.");
        return (loss / count, Math.Sqrt(squares / values));
    }

    private ReadOnlySpan<float> Forward(IReadOnlyList<int> origins, bool training, Random? random)
    {
        int b = origins.Count, size = _frames.Steps * b * _frames.FrameSize, hm = _frames.Outputs;
        Workspace.Grow(ref _input, size);
        Workspace.Grow(ref _targets, b * hm);
        Workspace.Grow(ref _window, b * _frames.WindowSize);
        for (int i = 0; i < b; i++)
        {
            _frames.FillInput(_scaled, origins[i], i, b, _input);
            _frames.FillWindow(_scaled, origins[i], _window.AsSpan(i * _frames.WindowSize, _frames.WindowSize));
            _frames.FillTargets(_scaled, origins[i], _targets.AsSpan(i * hm, hm));
        }
        return Network.Forward(b, _frames.Steps, _input.AsSpan(0, size), _window, training, random);
    }

    /// <summary>Mean squared error of the point outputs (plus the two pinball losses) and its gradient, when <paramref name="gradient"/> is not empty.</summary>
    private double Loss(ReadOnlySpan<float> scores, int b, Span<float> gradient)
    {
        int hm = _frames.Outputs, outputs = Network.Architecture.Outputs;
        double squares = 0, pinball = 0;
        float scale = 1f / (b * hm);
        for (int i = 0; i < b; i++)
            for (int h = 0; h < hm; h++)
            {
                float target = _targets[i * hm + h];
                int at = i * outputs + h;
                float e = scores[at] - target;
                squares += (double)e * e;
                if (!gradient.IsEmpty) gradient[at] = 2 * e * scale;
                if (!_quantiles) continue;
                pinball += PinballLoss.Compute(scores[at + hm], target, _lowerQuantile, out float dLower);
                pinball += PinballLoss.Compute(scores[at + 2 * hm], target, _upperQuantile, out float dUpper);
                if (gradient.IsEmpty) continue;
                gradient[at + hm] = dLower * scale;
                gradient[at + 2 * hm] = dUpper * scale;
            }
        return (squares + pinball) * scale;
    }
}
