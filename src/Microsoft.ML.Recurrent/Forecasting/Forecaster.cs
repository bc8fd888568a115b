using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// A trained forecaster: its networks (one, or an ensemble whose scores are averaged), how windows become their
/// input (<see cref="ForecastFrames"/>), the scaling learned in <c>Fit</c>, the strategy and the interval
/// half-widths. It forecasts many origins at once, in batches; calls are serialized because networks keep workspaces.
/// </summary>
internal sealed class Forecaster
{
    private const int BatchSize = 256;
    private readonly object _gate = new();
    private float[] _input = [], _window = [], _mean = [];

    /// <summary>Creates the forecaster; <paramref name="halfWidths"/> are the residual intervals' scaled half-widths per step (ignored for quantile intervals).</summary>
    public Forecaster(IReadOnlyList<ForecastNetwork> networks, ForecastFrames frames, ForecastScaling scaling, ForecastStrategy strategy, ForecastIntervalMethod intervals,
        int horizon, float confidenceLevel, float[] halfWidths)
    {
        if (networks.Count == 0 || networks.Any(n => n.Architecture != networks[0].Architecture)) throw new ArgumentException("An ensemble needs at least one network, all of one architecture.", nameof(networks));
        Networks = networks;
        ForecastNetwork network = networks[0];
        Frames = frames;
        Scaling = scaling;
        Strategy = strategy;
        IntervalMethod = intervals;
        Horizon = horizon;
        ConfidenceLevel = confidenceLevel;
        HalfWidths = halfWidths;
        int outputs = frames.Outputs * (intervals == ForecastIntervalMethod.Quantile ? 3 : 1);
        if (network.Architecture.Outputs != outputs || network.Architecture.InputSize != frames.FrameSize || halfWidths.Length != horizon
            || frames.Outputs != (strategy == ForecastStrategy.Direct ? horizon : 1))
            throw new ArgumentException($"The network ({network.Architecture.InputSize} inputs, {network.Architecture.Outputs} outputs) does not fit the frames ({frames}), the strategy {strategy} and the horizon {horizon}.");
    }

    /// <summary>The ensemble's members (one network unless trained with an ensemble).</summary>
    public IReadOnlyList<ForecastNetwork> Networks { get; }

    /// <summary>The first member (every member has its architecture).</summary>
    public ForecastNetwork Network => Networks[0];

    public ForecastFrames Frames { get; }

    public ForecastScaling Scaling { get; }

    public ForecastStrategy Strategy { get; }

    public ForecastIntervalMethod IntervalMethod { get; }

    /// <summary>H, values forecast per origin.</summary>
    public int Horizon { get; }

    public float ConfidenceLevel { get; }

    /// <summary>[H] scaled half-widths of the residual intervals.</summary>
    public float[] HalfWidths { get; private set; }

    /// <summary>W, the observations a forecast reads.</summary>
    public int WindowSize => Frames.WindowSize;

    /// <summary>Forecasts from each origin in series units: point, lower and upper bound, each [H].</summary>
    /// <param name="scaled">[C][n] scaled channels; origin o reads rows o-W .. o-1 and the known covariates of rows o .. o+H-1.</param>
    /// <param name="origins">Origins, each in [W, n] (and o + H &lt;= n when there are known covariates).</param>
    public (float[] Point, float[] Lower, float[] Upper)[] Forecast(float[][] scaled, IReadOnlyList<int> origins)
    {
        (float[] Point, float[] Lower, float[] Upper)[] results = ForecastScaled(scaled, origins);
        foreach ((float[] point, float[] lower, float[] upper) in results)
            for (int h = 0; h < Horizon; h++)
            {
                point[h] = Scaling.Unscale(point[h]);
                lower[h] = Scaling.Unscale(lower[h]);
                upper[h] = Scaling.Unscale(upper[h]);
            }
        return results;
    }

    /// <summary>
    /// Sets the residual intervals' half-widths from held-out origins: for each step, the split-conformal quantile
    /// (rank ceil((n + 1) c) of n) of the absolute scaled errors.
    /// </summary>
    public void Calibrate(float[][] scaled, IReadOnlyList<int> origins)
    {
        if (IntervalMethod != ForecastIntervalMethod.Residual || origins.Count == 0) return;
        (float[] Point, float[] Lower, float[] Upper)[] results = ForecastScaled(scaled, origins);
        var widths = new float[Horizon];
        var errors = new float[origins.Count];
        int rank = Math.Min(origins.Count, (int)Math.Ceiling((origins.Count + 1) * (double)ConfidenceLevel)) - 1;
        for (int h = 0; h < Horizon; h++)
        {
            for (int i = 0; i < origins.Count; i++) errors[i] = Math.Abs(scaled[0][origins[i] + h] - results[i].Point[h]);
            Array.Sort(errors);
            widths[h] = errors[rank];
        }
        HalfWidths = widths;
    }

    /// <summary>Forecasts in scaled units.</summary>
    private (float[] Point, float[] Lower, float[] Upper)[] ForecastScaled(float[][] scaled, IReadOnlyList<int> origins)
    {
        var results = new (float[], float[], float[])[origins.Count];
        lock (_gate)
        {
            for (int start = 0; start < origins.Count; start += BatchSize)
            {
                int b = Math.Min(BatchSize, origins.Count - start);
                float[][][] segments = new float[b][][];
                for (int i = 0; i < b; i++) segments[i] = Segment(scaled, origins[start + i]);
                for (int i = 0; i < b; i++) results[start + i] = (new float[Horizon], new float[Horizon], new float[Horizon]);
                if (Strategy == ForecastStrategy.Direct) Direct(segments, results.AsSpan(start, b));
                else Recursive(segments, results.AsSpan(start, b));
            }
        }
        return results;
    }

    /// <summary>Rows o-W .. o+H-1 of every channel (rows past the end read as 0), so the origin is at W.</summary>
    private float[][] Segment(float[][] scaled, int origin)
    {
        int rows = WindowSize + Horizon, n = scaled[0].Length;
        var segment = new float[scaled.Length][];
        for (int c = 0; c < scaled.Length; c++)
        {
            segment[c] = new float[rows];
            int available = Math.Min(rows, n - (origin - WindowSize));
            scaled[c].AsSpan(origin - WindowSize, available).CopyTo(segment[c]);
        }
        return segment;
    }

    private ReadOnlySpan<float> Run(float[][][] segments, int origin)
    {
        int b = segments.Length, size = Frames.Steps * b * Frames.FrameSize;
        Workspace.Grow(ref _input, size);
        Workspace.Grow(ref _window, b * WindowSize);
        for (int i = 0; i < b; i++)
        {
            Frames.FillInput(segments[i], origin, i, b, _input);
            Frames.FillWindow(segments[i], origin, _window.AsSpan(i * WindowSize, WindowSize));
        }
        if (Networks.Count == 1) return Network.Forward(b, Frames.Steps, _input.AsSpan(0, size), _window);
        int outputs = b * Network.Architecture.Outputs;
        Workspace.Grow(ref _mean, outputs);
        Span<float> mean = _mean.AsSpan(0, outputs);
        mean.Clear();
        foreach (ForecastNetwork network in Networks)
            System.Numerics.Tensors.TensorPrimitives.Add(mean, network.Forward(b, Frames.Steps, _input.AsSpan(0, size), _window), mean);
        System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 1f / Networks.Count, mean);
        return mean;
    }

    private void Direct(float[][][] segments, Span<(float[] Point, float[] Lower, float[] Upper)> results)
    {
        ReadOnlySpan<float> scores = Run(segments, WindowSize);
        int outputs = Network.Architecture.Outputs, w = WindowSize;
        for (int i = 0; i < segments.Length; i++)
        {
            float level = Frames.Level(segments[i], w);
            ReadOnlySpan<float> row = scores.Slice(i * outputs, outputs);
            for (int h = 0; h < Horizon; h++)
            {
                float point = row[h] + level;
                results[i].Point[h] = point;
                if (IntervalMethod == ForecastIntervalMethod.Quantile)
                {
                    results[i].Lower[h] = Math.Min(point, row[Horizon + h] + level);
                    results[i].Upper[h] = Math.Max(point, row[2 * Horizon + h] + level);
                }
                else
                {
                    results[i].Lower[h] = point - HalfWidths[h];
                    results[i].Upper[h] = point + HalfWidths[h];
                }
            }
        }
    }

    /// <summary>One step at a time: each forecast is written into the segment as the next observation.</summary>
    private void Recursive(float[][][] segments, Span<(float[] Point, float[] Lower, float[] Upper)> results)
    {
        for (int h = 0; h < Horizon; h++)
        {
            int origin = WindowSize + h;
            ReadOnlySpan<float> scores = Run(segments, origin);
            for (int i = 0; i < segments.Length; i++)
            {
                float point = scores[i] + Frames.Level(segments[i], origin);
                segments[i][0][origin] = point;
                results[i].Point[h] = point;
                results[i].Lower[h] = point - HalfWidths[h];
                results[i].Upper[h] = point + HalfWidths[h];
            }
        }
    }
}
