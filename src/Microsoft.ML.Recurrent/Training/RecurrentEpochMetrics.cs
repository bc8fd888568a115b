namespace Microsoft.ML.Recurrent;

/// <summary>What one training epoch achieved.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">Mean training loss over the epoch (with dropout active).</param>
/// <param name="ValidationLoss">Mean validation loss, or NaN without validation data.</param>
/// <param name="MetricName">"accuracy" (classification) or "RMSE" (regression).</param>
/// <param name="ValidationMetric">The validation metric, or NaN without validation data.</param>
/// <param name="SequencesPerSecond">Training throughput.</param>
public sealed record RecurrentEpochMetrics(int Epoch, double TrainingLoss, double ValidationLoss, string MetricName, double ValidationMetric, double SequencesPerSecond);
