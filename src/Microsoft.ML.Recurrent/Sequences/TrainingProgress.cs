namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>Where a training run stands between epochs: what a checkpoint must restore besides weights and optimizer state.</summary>
internal sealed class TrainingProgress
{
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    /// <summary>The best validation epoch's parameter values, or null.</summary>
    public float[][]? Best { get; set; }

    /// <summary>The best validation metric so far (NaN before the first).</summary>
    public double BestMetric { get; set; } = double.NaN;

    /// <summary>Epochs since the best one.</summary>
    public int SinceBest { get; set; }

    /// <summary>Per-epoch results so far.</summary>
    public List<RecurrentEpochMetrics> History { get; } = [];
}
