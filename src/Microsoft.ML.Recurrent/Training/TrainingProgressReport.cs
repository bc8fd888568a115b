namespace Microsoft.ML.Recurrent;

/// <summary>
/// Where a training run stands, passed to <see cref="RecurrentTrainingOptions.Progress"/> every
/// <see cref="RecurrentTrainingOptions.ProgressInterval"/> mini-batches and at the end of each epoch.
/// </summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="NumberOfEpochs">Epochs the run was asked for.</param>
/// <param name="Batch">Mini-batches done in this epoch.</param>
/// <param name="BatchesPerEpoch">Mini-batches per epoch once known (after the first epoch), else null.</param>
/// <param name="TrainingLoss">Mean training loss of the epoch so far.</param>
/// <param name="LearningRate">The optimizer's current learning rate.</param>
/// <param name="ExamplesPerSecond">Training throughput of the epoch so far.</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="EstimatedRemaining">Estimated time to the last epoch's end, once it can be estimated.</param>
/// <param name="IsEpochEnd">Whether this report ends an epoch (then validation results are filled in, if there is validation data).</param>
/// <param name="MetricName">The validation metric's name.</param>
/// <param name="ValidationLoss">Validation loss at the end of an epoch, else NaN.</param>
/// <param name="ValidationMetric">Validation metric at the end of an epoch, else NaN.</param>
public sealed record TrainingProgressReport(int Epoch, int NumberOfEpochs, int Batch, int? BatchesPerEpoch, double TrainingLoss,
    float LearningRate, double ExamplesPerSecond, TimeSpan Elapsed, TimeSpan? EstimatedRemaining, bool IsEpochEnd,
    string MetricName, double ValidationLoss, double ValidationMetric);
