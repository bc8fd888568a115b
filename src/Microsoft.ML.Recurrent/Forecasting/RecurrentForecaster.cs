using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Forecasting;
using Microsoft.ML.Recurrent.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Trains a recurrent multi-horizon forecaster on one series, its rows in time order (in the spirit of ML.NET's
/// <c>ForecastBySsa</c>): windows of <see cref="RecurrentForecasterOptions.WindowSize"/> observations (with past
/// and known covariates) are cut from the series, a recurrent network learns the next
/// <see cref="RecurrentForecasterOptions.Horizon"/> values of each, and intervals come from held-out residuals
/// or learned quantiles. Create it from the catalog: <c>mlContext.Forecasting.ForecastByRecurrent(options)</c>.
/// </summary>
public sealed class RecurrentForecaster : IEstimator<RecurrentForecastingTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly RecurrentForecasterOptions _options;

    internal RecurrentForecaster(IHostEnvironment environment, RecurrentForecasterOptions options)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>
    /// Trains on the series in <paramref name="input"/>'s rows. The latest <see cref="RecurrentTrainingOptions.ValidationFraction"/>
    /// of the forecast origins are held out: they pick the best epoch, stop training early and calibrate residual intervals.
    /// </summary>
    /// <exception cref="ArgumentException">The series is shorter than a window and a horizon (or leaves nothing to train on).</exception>
    /// <exception cref="InvalidDataException">A value is not finite (names the column and row).</exception>
    public RecurrentForecastingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RecurrentForecasterOptions o = _options;
        IHost host = _environment.Register(nameof(RecurrentForecaster));
        int seed = o.Seed ?? host.Rand.Next();
        string[] names = ChannelNames(o);
        ForecastSeries series = ForecastSeries.Read(input, names);
        var frames = new ForecastFrames(o.WindowSize, o.Strategy == ForecastStrategy.Direct ? o.Horizon : 1,
            o.PastCovariateColumnNames.Count, o.KnownCovariateColumnNames.Count, o.Normalization, o.SeasonLength);
        var origins = ForecastOrigins.Split(series.Length, o.WindowSize, o.Horizon, frames.Outputs, o.ValidationFraction, o.InputColumnName);
        ForecastScaling scaling = ForecastScaling.Fit(series, origins.ScalingRows, o.LogTransform, names);
        float[][] scaled = scaling.Scale(series.Channels, 0, series.Length, names);

        var architecture = new ForecastArchitecture(o.Cell, frames.FrameSize, o.HiddenSize, o.NumberOfLayers, o.Dropout,
            frames.Outputs * (o.IntervalMethod == ForecastIntervalMethod.Quantile ? 3 : 1), frames.Steps > o.WindowSize ? frames.Outputs : 1, o.WindowSize, o.LinearAutoregression);
        using IChannel channel = host.Start("Training");
        channel.Info(MessageSensitivity.None, $"{origins.Train.Length} training and {origins.Validation.Length} held-out forecast origins from {series.Length} rows.");
        string description = $"a {architecture.NumLayers}-layer {architecture.Cell} forecaster{(o.LinearAutoregression ? " with a linear autoregressive part" : "")}{(architecture.ReadSteps > 1 ? ", one forecast per future step" : "")}, H={architecture.HiddenSize}, window {o.WindowSize}, horizon {o.Horizon} ({o.Strategy})";
        var networks = new ForecastNetwork[o.EnsembleSize];
        IReadOnlyList<RecurrentEpochMetrics> history = [];
        for (int m = 0; m < networks.Length; m++)
        {
            // Each member from its own seed; with a checkpoint path, each member checkpoints to its own file.
            int memberSeed = unchecked(seed + 7_919 * m);
            RecurrentForecasterOptions member = o;
            if (networks.Length > 1 && o.CheckpointPath is string path) { member = o.Clone(); member.CheckpointPath = $"{path}.member{m}"; }
            var model = new ForecastTrainingModel(new ForecastNetwork(architecture, new Random(memberSeed)), frames, scaled, o.IntervalMethod, o.ConfidenceLevel);
            var loop = new TrainingLoop<int>(member);
            loop.Train(channel, memberSeed, model, new OriginBatches(origins.Train), origins.Validation.Length > 0 ? new OriginBatches(origins.Validation) : null,
                networks.Length > 1 ? $"member {m + 1} of {networks.Length}: {description}" : description, $"{architecture} {frames} {o.IntervalMethod} {o.ConfidenceLevel} {o.LogTransform}");
            networks[m] = model.Network;
            if (m == 0) history = loop.History;
        }

        var forecaster = new Forecaster(networks, frames, scaling, o.Strategy, o.IntervalMethod, o.Horizon, o.ConfidenceLevel, new float[o.Horizon]);
        // Residual intervals from the held-out origins; without them, from the training origins (narrower than they should be).
        int[] calibration = origins.Validation.Length > 0 ? origins.Validation : [.. origins.Train.Where(t => t + o.Horizon <= series.Length)];
        forecaster.Calibrate(scaled, calibration);
        float[][] tail = [.. series.Channels.Select(c => c[^o.WindowSize..])];
        return new RecurrentForecastingTransformer(forecaster, Columns(o), tail, history);
    }

    /// <summary>The input columns followed by the forecast column and the bound columns, each a vector of H Single values.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (string name in ChannelNames(_options))
        {
            SchemaShape.Column column = SequenceFeatureColumn.FindShape(inputSchema, name)
                ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The column '{name}' is not in the input schema.");
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The column '{name}' is a {column.Kind} of {column.ItemType}; a forecaster reads one Single per row.");
        }
        return MLNetInternals.Append(inputSchema, Columns(_options).OutputSchema(_options.Horizon));
    }

    private static string[] ChannelNames(RecurrentForecasterOptions o) => [o.InputColumnName, .. o.PastCovariateColumnNames, .. o.KnownCovariateColumnNames];

    private static ForecastColumns Columns(RecurrentForecasterOptions o) =>
        new(o.InputColumnName, [.. o.PastCovariateColumnNames], [.. o.KnownCovariateColumnNames], o.OutputColumnName, o.ConfidenceLowerBoundColumn, o.ConfidenceUpperBoundColumn);
}
