namespace Microsoft.ML.Recurrent;

/// <summary>
/// Options of the recurrent forecaster (<c>mlContext.Forecasting.ForecastByRecurrent</c>), named as ML.NET's
/// <c>ForecastBySsa</c> names them where they mean the same. The rows of the training data are one series in
/// time order: the value column and optional covariate columns, all Single. The defaults train a one-layer GRU of
/// 64 units and a linear autoregressive part on windows of 24 values, the latest 15% of the windows held out for early stopping and intervals.
/// The optimization, checkpoint and progress options are those of <see cref="RecurrentTrainingOptions"/>.
/// </summary>
public sealed class RecurrentForecasterOptions : RecurrentTrainingOptions
{
    /// <summary>Creates the options with the forecaster's defaults (100 epochs, patience 15, 15% validation, learning rate 3e-3).</summary>
    public RecurrentForecasterOptions()
    {
        NumberOfEpochs = 100;
        EarlyStoppingPatience = 15;
        ValidationFraction = 0.15f;
        LearningRate = 3e-3f;
    }

    /// <summary>The output column: a vector of <see cref="Horizon"/> Single forecasts, the values after each row.</summary>
    public string OutputColumnName { get; set; } = "Forecast";

    /// <summary>The series column (Single), one observation per row in time order.</summary>
    public string InputColumnName { get; set; } = "Value";

    /// <summary>Past observations the network reads for each forecast.</summary>
    public int WindowSize { get; set; } = 24;

    /// <summary>Values forecast after each origin (H).</summary>
    public int Horizon { get; set; } = 1;

    /// <summary>Covariate columns (Single) known ahead, such as calendar fields or weather forecasts: the network reads their values over the window and over the horizon.</summary>
    public IReadOnlyList<string> KnownCovariateColumnNames { get; set; } = [];

    /// <summary>Covariate columns (Single) observed only up to the forecast origin: the network reads them over the window.</summary>
    public IReadOnlyList<string> PastCovariateColumnNames { get; set; } = [];

    /// <summary>
    /// The series' season in rows (12 for monthly data with a yearly cycle, 24 for hourly data with a daily one), at most
    /// <see cref="WindowSize"/>; 0 for none. With a season, each forecast step also reads the latest observed value of its
    /// phase (the seasonal naive forecast), which a network otherwise has to carry across the window itself.
    /// </summary>
    public int SeasonLength { get; set; }

    /// <summary>Confidence level of the prediction intervals, in (0, 1).</summary>
    public float ConfidenceLevel { get; set; } = 0.95f;

    /// <summary>The lower bound column (a vector of H), or null to leave it out.</summary>
    public string? ConfidenceLowerBoundColumn { get; set; }

    /// <summary>The upper bound column (a vector of H), or null to leave it out.</summary>
    public string? ConfidenceUpperBoundColumn { get; set; }

    /// <summary>Direct multi-output or recursive one-step forecasting.</summary>
    public ForecastStrategy Strategy { get; set; } = ForecastStrategy.Direct;

    /// <summary>How the prediction intervals are made.</summary>
    public ForecastIntervalMethod IntervalMethod { get; set; } = ForecastIntervalMethod.Residual;

    /// <summary>How a window's values are presented to the network.</summary>
    public ForecastNormalization Normalization { get; set; } = ForecastNormalization.LastValue;

    /// <summary>Model log(1 + y) instead of y (for non-negative series whose swings grow with their level); the forecasts come back in the series' units.</summary>
    public bool LogTransform { get; set; }

    /// <summary>
    /// Adds a linear autoregressive part over the window's values to the recurrent network's output (LSTNet's
    /// highway): it learns scale, trend and seasonal lags quickly from few windows, which short series need.
    /// </summary>
    public bool LinearAutoregression { get; set; } = true;

    /// <summary>
    /// Networks trained from different seeds whose forecasts are averaged (1: a single network). Short series are
    /// noisy to learn: on the airline series an ensemble of 5 trained in about 5 s.
    /// </summary>
    public int EnsembleSize { get; set; } = 1;

    /// <summary>The recurrent cell.</summary>
    public CellType Cell { get; set; } = CellType.Gru;

    /// <summary>Hidden units per layer.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Stacked recurrent layers.</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>
    /// Dropout on the recurrent input (one mask per window), between layers and before the output layer, in [0, 1).
    /// Short series need it: 0.3 keeps the recurrent part from memorizing a few dozen windows (on the airline series'
    /// development period it cut the RMSE from 42-45 to 20-27), while a long or noise-free series learns better without.
    /// </summary>
    public float Dropout { get; set; }

    /// <summary>Throws on an option outside its range, naming it.</summary>
    internal override void Validate()
    {
        base.Validate();
        ArgumentException.ThrowIfNullOrEmpty(OutputColumnName, nameof(OutputColumnName));
        ArgumentException.ThrowIfNullOrEmpty(InputColumnName, nameof(InputColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowSize, 1, nameof(WindowSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Horizon, 1, nameof(Horizon));
        ArgumentOutOfRangeException.ThrowIfNegative(SeasonLength, nameof(SeasonLength));
        if (SeasonLength > WindowSize) throw new ArgumentOutOfRangeException(nameof(SeasonLength), SeasonLength, $"The season must fit in the window of {WindowSize}, so that its last value is observed.");
        ArgumentNullException.ThrowIfNull(KnownCovariateColumnNames, nameof(KnownCovariateColumnNames));
        ArgumentNullException.ThrowIfNull(PastCovariateColumnNames, nameof(PastCovariateColumnNames));
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1)) throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must be in (0, 1).");
        if (!Enum.IsDefined(Strategy)) throw new ArgumentOutOfRangeException(nameof(Strategy), Strategy, "Unknown strategy.");
        if (!Enum.IsDefined(IntervalMethod)) throw new ArgumentOutOfRangeException(nameof(IntervalMethod), IntervalMethod, "Unknown interval method.");
        if (!Enum.IsDefined(Normalization)) throw new ArgumentOutOfRangeException(nameof(Normalization), Normalization, "Unknown normalization.");
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Unknown cell type.");
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumberOfLayers, 1, nameof(NumberOfLayers));
        if (EnsembleSize is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(EnsembleSize), EnsembleSize, "The ensemble takes 1 to 100 networks.");
        CheckProbability(Dropout, nameof(Dropout));
        if (Strategy == ForecastStrategy.Recursive && PastCovariateColumnNames.Count > 0)
            throw new ArgumentException($"The recursive strategy feeds its forecasts back as observations, so it cannot know the past-only covariates ({string.Join(", ", PastCovariateColumnNames)}) ahead; use the direct strategy or make them known covariates.", nameof(PastCovariateColumnNames));
        if (Strategy == ForecastStrategy.Recursive && IntervalMethod == ForecastIntervalMethod.Quantile)
            throw new ArgumentException("Quantile intervals are learned by the direct strategy; the recursive strategy takes residual intervals.", nameof(IntervalMethod));
        string[] names = [InputColumnName, .. PastCovariateColumnNames, .. KnownCovariateColumnNames];
        foreach (string name in names) ArgumentException.ThrowIfNullOrEmpty(name, nameof(KnownCovariateColumnNames));
        if (names.Distinct().Count() != names.Length)
            throw new ArgumentException($"A column is named twice among the series and its covariates ({string.Join(", ", names)}).", nameof(KnownCovariateColumnNames));
    }

    /// <summary>A copy, so later changes by the caller do not reach a trainer.</summary>
    internal RecurrentForecasterOptions Clone()
    {
        var copy = (RecurrentForecasterOptions)MemberwiseClone();
        copy.KnownCovariateColumnNames = [.. KnownCovariateColumnNames];
        copy.PastCovariateColumnNames = [.. PastCovariateColumnNames];
        return copy;
    }
}
