namespace Microsoft.ML.Recurrent.Training;

/// <summary>Where a training run stands between epochs: what a checkpoint must restore besides weights and optimizer state.</summary>
internal sealed class TrainingState
{
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    /// <summary>The best validation epoch's parameter values, or null.</summary>
    public float[][]? Best { get; set; }

    /// <summary>The moving average of the weights (see <see cref="RecurrentTrainingOptions.WeightAveragingDecay"/>), or null when off.</summary>
    public float[][]? Averaged { get; set; }

    /// <summary>The best validation metric so far (NaN before the first).</summary>
    public double BestMetric { get; set; } = double.NaN;

    /// <summary>Epochs since the best one.</summary>
    public int SinceBest { get; set; }

    /// <summary>The untrained model's loss (the first mini-batch's), the scale of the divergence check; NaN before it.</summary>
    public double InitialLoss { get; set; } = double.NaN;

    /// <summary>The product of the learning-rate reductions on plateau so far.</summary>
    public float PlateauScale { get; set; } = 1f;

    /// <summary>The best value the plateau schedule has seen (NaN before the first).</summary>
    public double PlateauBest { get; set; } = double.NaN;

    /// <summary>Epochs since <see cref="PlateauBest"/> improved.</summary>
    public int PlateauWait { get; set; }

    /// <summary>Per-epoch results so far.</summary>
    public List<RecurrentEpochMetrics> History { get; } = [];
}
