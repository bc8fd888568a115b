using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Forecasting;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A trained recurrent forecaster. <c>Transform</c> reads its input as one series in row order and appends, to
/// each row i, the forecast of the H values after it (from rows i-W+1 .. i and the known covariates of rows
/// i+1 .. i+H) and, if named, its lower and upper bounds. Rows without W observations up to them, or without the
/// known covariates of their whole horizon in the data, get NaN. For forecasting beyond the data, and for taking
/// in new observations without retraining, use <see cref="CreateForecastingEngine"/>. The series is read in row
/// order, so this transformer is not a row-to-row mapper (no <c>PredictionEngine</c>).
/// </summary>
public sealed class RecurrentForecastingTransformer : ITransformer
{
    internal RecurrentForecastingTransformer(Forecaster forecaster, ForecastColumns columns, float[][] tail, IReadOnlyList<RecurrentEpochMetrics> history)
    {
        Forecaster = forecaster;
        Columns = columns;
        Tail = tail;
        TrainingHistory = history;
    }

    internal Forecaster Forecaster { get; }

    internal ForecastColumns Columns { get; }

    /// <summary>[C][W] the last W rows of the series the model was trained on (or checkpointed with): where a new engine starts.</summary>
    internal float[][] Tail { get; }

    /// <summary>The series column.</summary>
    public string InputColumnName => Columns.Value;

    /// <summary>The forecast column.</summary>
    public string OutputColumnName => Columns.Output;

    /// <summary>Covariates observed up to the origin only.</summary>
    public IReadOnlyList<string> PastCovariateColumnNames => Columns.Past;

    /// <summary>Covariates known ahead (read over the horizon too).</summary>
    public IReadOnlyList<string> KnownCovariateColumnNames => Columns.Known;

    /// <summary>W, observations each forecast reads.</summary>
    public int WindowSize => Forecaster.WindowSize;

    /// <summary>H, values forecast per origin.</summary>
    public int Horizon => Forecaster.Horizon;

    /// <summary>The prediction intervals' confidence level.</summary>
    public float ConfidenceLevel => Forecaster.ConfidenceLevel;

    /// <summary>Direct or recursive.</summary>
    public ForecastStrategy Strategy => Forecaster.Strategy;

    /// <summary>What each training epoch achieved (of the first network, for an ensemble; empty for a loaded model).</summary>
    public IReadOnlyList<RecurrentEpochMetrics> TrainingHistory { get; }

    /// <summary>False: each row's forecast reads the rows before it (and the known covariates after it).</summary>
    public bool IsRowToRowMapper => false;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => new ForecastAppender(this, inputSchema, null).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new SequentialDataView(new AppendedDataView(new SequentialDataView(input), new ForecastAppender(this, input.Schema, input)));
    }

    /// <summary>Not supported: a forecast depends on earlier rows; use <see cref="CreateForecastingEngine"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException(
        "A forecaster reads its input as a series, so it cannot map one row at a time; use Transform on the whole series, or CreateForecastingEngine() to forecast from observations given one by one.");

    /// <summary>Not supported: use <c>mlContext.Model.SaveRecurrentModel</c>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "mlContext.Model.Save cannot store Microsoft.ML.Recurrent transformers; use mlContext.Model.SaveRecurrentModel(model, inputSchema, path).");

    /// <summary>
    /// Forecasts from origins <paramref name="firstOrigin"/>, <paramref name="firstOrigin"/> + <paramref name="originStep"/>, ...
    /// of the series in <paramref name="data"/> (each from the actual observations before it) while a whole horizon
    /// of actual values follows: rolling-origin evaluation's windows.
    /// </summary>
    /// <exception cref="ArgumentException">The first origin has fewer than W observations before it, or no horizon after it.</exception>
    public IReadOnlyList<ForecastWindow> ForecastRollingOrigins(IDataView data, int firstOrigin, int originStep = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(originStep, 1);
        ForecastSeries series = ForecastSeries.Read(data, Columns.Channels);
        if (firstOrigin < WindowSize || firstOrigin + Horizon > series.Length)
            throw new ArgumentException($"The first origin {firstOrigin} needs {WindowSize} observations before it and {Horizon} after it; the series has {series.Length} rows.", nameof(firstOrigin));
        int[] origins = [.. Enumerable.Range(0, (series.Length - Horizon - firstOrigin) / originStep + 1).Select(k => firstOrigin + k * originStep)];
        (float[] Point, float[] Lower, float[] Upper)[] forecasts = Forecaster.Forecast(Forecaster.Scaling.Scale(series.Channels, 0, series.Length, Columns.Channels), origins);
        return [.. origins.Select((o, i) => new ForecastWindow(series.Values[o..(o + Horizon)], forecasts[i].Point, forecasts[i].Lower, forecasts[i].Upper))];
    }

    /// <summary>
    /// Rolling-origin evaluation on <paramref name="data"/>: forecasts from every <paramref name="originStep"/>-th origin
    /// from <paramref name="firstOrigin"/> on, scored per horizon step and overall (MAE, RMSE, sMAPE, interval coverage,
    /// and MASE scaled by the seasonal naive error of the rows before <paramref name="firstOrigin"/>).
    /// </summary>
    public ForecastMetrics Evaluate(IDataView data, int firstOrigin, int originStep = 1, int season = 1)
    {
        IReadOnlyList<ForecastWindow> windows = ForecastRollingOrigins(data, firstOrigin, originStep);
        float[] training = ForecastSeries.Read(data, [Columns.Value]).Values[..firstOrigin];
        return ForecastEvaluator.Evaluate(windows, training, season);
    }

    /// <summary>
    /// An engine that forecasts from the latest observations and takes in new ones without retraining. It starts
    /// from the last W rows of <paramref name="history"/>, or of the training series when null.
    /// </summary>
    public RecurrentForecastingEngine CreateForecastingEngine(IDataView? history = null)
    {
        if (history is null) return new RecurrentForecastingEngine(this, Tail);
        ForecastSeries series = ForecastSeries.Read(history, Columns.Channels);
        if (series.Length < WindowSize) throw new ArgumentException($"The history has {series.Length} rows; the engine needs the last {WindowSize}.", nameof(history));
        return new RecurrentForecastingEngine(this, [.. series.Channels.Select(c => c[^WindowSize..])]);
    }

    /// <summary>This model starting from another tail (an engine's checkpoint).</summary>
    internal RecurrentForecastingTransformer WithTail(float[][] tail) => new(Forecaster, Columns, tail, TrainingHistory);
}
