namespace Microsoft.ML.Recurrent.Samples.Forecasting;

/// <summary>Training part: the recurrent forecaster's options for a series with the given window, horizon and covariates.</summary>
internal static partial class ForecastModel
{
    /// <summary>What the sample varies by flag.</summary>
    /// <param name="Window">Past observations per forecast.</param>
    /// <param name="Horizon">Values forecast per origin.</param>
    /// <param name="Known">Covariates known ahead.</param>
    /// <param name="Past">Covariates observed up to the origin only.</param>
    /// <param name="Log">Whether to model log(1 + y).</param>
    /// <param name="Confidence">The intervals' confidence level.</param>
    /// <param name="Epochs">Training epochs (early stopping may end sooner).</param>
    /// <param name="Hidden">GRU units.</param>
    /// <param name="Batch">Windows per mini-batch.</param>
    /// <param name="Dropout">Dropout of the recurrent part.</param>
    /// <param name="Season">The season in rows (0: none).</param>
    /// <param name="Ensemble">Networks averaged.</param>
    public sealed record Settings(int Window, int Horizon, string[] Known, string[] Past, bool Log, float Confidence, int Epochs, int Hidden, int Batch, float Dropout, int Season, int Ensemble);

    /// <summary>An ensemble of one-layer GRU forecasters with a linear autoregressive part, direct multi-horizon, residual intervals from the latest 15% of the training origins.</summary>
    public static RecurrentForecaster Pipeline(MLContext ml, string valueColumn, Settings s, Action<TrainingProgressReport>? progress = null) =>
        ml.Forecasting.ForecastByRecurrent(new RecurrentForecasterOptions
        {
            InputColumnName = valueColumn,
            OutputColumnName = "Forecast",
            ConfidenceLowerBoundColumn = "Lower",
            ConfidenceUpperBoundColumn = "Upper",
            WindowSize = s.Window,
            Horizon = s.Horizon,
            KnownCovariateColumnNames = s.Known,
            PastCovariateColumnNames = s.Past,
            LogTransform = s.Log,
            SeasonLength = s.Season,
            EnsembleSize = s.Ensemble,
            ConfidenceLevel = s.Confidence,
            Cell = CellType.Gru,
            HiddenSize = s.Hidden,
            NumberOfEpochs = s.Epochs,
            BatchSize = s.Batch,
            Dropout = s.Dropout,
            LearningRate = 3e-3f,
            LearningRateSchedule = new LearningRateSchedule { Decay = LearningRateDecay.Cosine },
            EarlyStoppingPatience = 20,
            Progress = progress,
        });
}
