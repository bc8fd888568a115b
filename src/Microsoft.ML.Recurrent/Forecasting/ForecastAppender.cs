using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// Appends a forecaster's columns to the rows of one series: on first use it reads the whole series and forecasts
/// from every origin at once (in batches); row i gets the forecast from origin i + 1, or NaN where that origin
/// lacks W observations before it or the known covariates of its horizon.
/// </summary>
internal sealed class ForecastAppender : ColumnAppender
{
    private readonly RecurrentForecastingTransformer _model;
    private readonly DataViewSchema.Column[] _inputs;
    private readonly Lazy<(float[] Point, float[] Lower, float[] Upper)?[]> _rows;

    /// <summary>Creates the appender; <paramref name="data"/> is the series (null when only the schema is wanted).</summary>
    public ForecastAppender(RecurrentForecastingTransformer model, DataViewSchema inputSchema, IDataView? data)
        : base(inputSchema, model.Columns.OutputSchema(model.Horizon))
    {
        _model = model;
        _inputs = [.. model.Columns.Channels.Select(name => ForecastSeries.Find(inputSchema, name))];
        _rows = new(() => ForecastEveryRow(data ?? throw new InvalidOperationException("This appender has no data.")));
    }

    public override IEnumerable<DataViewSchema.Column> Dependencies => _inputs;

    public override IAddedColumns Bind(DataViewRow input) => new Row(this, input);

    private (float[] Point, float[] Lower, float[] Upper)?[] ForecastEveryRow(IDataView data)
    {
        Forecaster forecaster = _model.Forecaster;
        ForecastSeries series = ForecastSeries.Read(data, _model.Columns.Channels);
        int n = series.Length, last = _model.KnownCovariateColumnNames.Count > 0 ? n - _model.Horizon : n;
        int[] origins = [.. Enumerable.Range(forecaster.WindowSize, Math.Max(0, last - forecaster.WindowSize + 1))];
        var rows = new (float[], float[], float[])?[n];
        if (origins.Length == 0) return rows;
        (float[], float[], float[])[] forecasts = forecaster.Forecast(forecaster.Scaling.Scale(series.Channels, 0, n, _model.Columns.Channels), origins);
        for (int i = 0; i < origins.Length; i++) rows[origins[i] - 1] = forecasts[i];
        return rows;
    }

    private sealed class Row(ForecastAppender appender, DataViewRow input) : IAddedColumns
    {
        public Delegate GetGetter(int addedIndex)
        {
            int horizon = appender._model.Horizon;
            bool hasLower = appender._model.Columns.Lower is not null;
            int part = addedIndex == 0 ? 0 : addedIndex == 1 && hasLower ? 1 : 2;
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var all = appender._rows.Value;
                long at = input.Position;
                float[] values = at < all.Length && all[at] is var (point, lower, upper) ? (part == 0 ? point : part == 1 ? lower : upper) : NaNs(horizon);
                value = new VBuffer<float>(horizon, [.. values]);
            });
        }

        private static float[] NaNs(int count) => Enumerable.Repeat(float.NaN, count).ToArray();
    }
}
