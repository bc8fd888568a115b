namespace Microsoft.ML.Recurrent;

/// <summary>
/// What every Microsoft.ML.Recurrent trainer shares: optimization (optimizer, learning rate and its
/// schedule, weight decay, clipping), epochs and mini-batches, validation and early stopping,
/// checkpoints, progress, threads and cancellation. Each trainer's options class adds its model's settings.
/// </summary>
public abstract class RecurrentTrainingOptions
{
    /// <summary>The optimizer.</summary>
    public RecurrentOptimizer Optimizer { get; set; } = RecurrentOptimizer.Adam;

    /// <summary>Learning rate (the base rate of <see cref="LearningRateSchedule"/>).</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Warm-up and decay of the learning rate; the default keeps it constant.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = new();

    /// <summary>Weight decay (L2 for Adam/SGD/RMSProp/Adagrad, decoupled for AdamW).</summary>
    public float WeightDecay { get; set; }

    /// <summary>Passes over the training data.</summary>
    public int NumberOfEpochs { get; set; } = 10;

    /// <summary>Sequences per mini-batch.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Clip the gradient to this global L2 norm before each step; 0 disables clipping.</summary>
    public float GradientClipNorm { get; set; } = 5f;

    /// <summary>
    /// Fraction of the training rows (chosen by the seed) held out to pick the best epoch and stop early,
    /// when no validation data is passed to <c>Fit</c>; 0 uses all rows for training.
    /// </summary>
    public float ValidationFraction { get; set; }

    /// <summary>
    /// Decay of an exponential moving average of the weights, updated after every optimizer step (0: off; 0.999 is usual).
    /// When on, validation, early stopping and the trained model use the averaged weights, which swing less from epoch
    /// to epoch than the last step's. Early steps average with a smaller decay, min(decay, (1 + t) / (10 + t)) at step t,
    /// so the untrained weights fade quickly.
    /// </summary>
    public float WeightAveragingDecay { get; set; }

    /// <summary>Stop after this many epochs without a better validation metric (0: never stop early). The best epoch's weights are kept.</summary>
    public int EarlyStoppingPatience { get; set; } = 3;

    /// <summary>
    /// Training stops with an error when a mini-batch's loss exceeds this multiple of the untrained
    /// model's loss (the first mini-batch's, floored at 0.01), or when the epoch loss has risen for
    /// <see cref="DivergencePatience"/> epochs in a row to above the first epoch's. 0 turns the check off
    /// (a non-finite loss always stops training).
    /// </summary>
    public float DivergenceThreshold { get; set; } = 100f;

    /// <summary>Consecutive epochs of rising training loss that count as divergence (see <see cref="DivergenceThreshold"/>); 0 turns that test off.</summary>
    public int DivergencePatience { get; set; } = 4;

    /// <summary>Rows read into memory and shuffled together; larger data streams through in chunks of this size.</summary>
    public int ShuffleBufferSize { get; set; } = 100_000;

    /// <summary>Seed for initialization, shuffling and dropout; null takes one from the MLContext (so <c>new MLContext(seed)</c> makes training repeatable).</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Threads this trainer's training and scoring use (ML.NET's name); null uses the engine's default
    /// (the processor count). It applies to this trainer's calls only, not to the process.
    /// </summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>
    /// When set, training state (weights, optimizer, schedule, early stopping, epoch) is saved to this file every
    /// <see cref="CheckpointFrequency"/> epochs, atomically. If the file exists when Fit starts, training
    /// resumes from it, and the result equals an uninterrupted run with the same seed and data. The file is
    /// deleted when training completes.
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Epochs between checkpoints.</summary>
    public int CheckpointFrequency { get; set; } = 1;

    /// <summary>Called every <see cref="ProgressInterval"/> mini-batches and after each epoch, on the training thread (keep it quick).</summary>
    public Action<TrainingProgressReport>? Progress { get; set; }

    /// <summary>Mini-batches between <see cref="Progress"/> calls within an epoch.</summary>
    public int ProgressInterval { get; set; } = 50;

    /// <summary>Cancels training between mini-batches (Fit then throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Throws on an option outside its range, naming it.</summary>
    internal virtual void Validate()
    {
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimizer.");
        if (!(LearningRate > 0 && float.IsFinite(LearningRate))) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
        ArgumentNullException.ThrowIfNull(LearningRateSchedule, nameof(LearningRateSchedule));
        LearningRateSchedule.Validate();
        if (!(WeightDecay >= 0 && float.IsFinite(WeightDecay))) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must be zero or positive.");
        ArgumentOutOfRangeException.ThrowIfLessThan(NumberOfEpochs, 1, nameof(NumberOfEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (!(GradientClipNorm >= 0 && float.IsFinite(GradientClipNorm))) throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "The clipping norm must be zero (off) or positive.");
        CheckProbability(WeightAveragingDecay, nameof(WeightAveragingDecay));
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be in [0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegative(EarlyStoppingPatience, nameof(EarlyStoppingPatience));
        if (!(DivergenceThreshold == 0 || DivergenceThreshold > 1 && float.IsFinite(DivergenceThreshold)))
            throw new ArgumentOutOfRangeException(nameof(DivergenceThreshold), DivergenceThreshold, "The divergence threshold must be 0 (off) or a finite factor above 1.");
        ArgumentOutOfRangeException.ThrowIfNegative(DivergencePatience, nameof(DivergencePatience));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShuffleBufferSize, 1, nameof(ShuffleBufferSize));
        if (NumberOfThreads is int threads) ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(NumberOfThreads));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointFrequency, 1, nameof(CheckpointFrequency));
        ArgumentOutOfRangeException.ThrowIfLessThan(ProgressInterval, 1, nameof(ProgressInterval));
    }

    /// <summary>A text that changes whenever an option that shapes the training path does (part of a checkpoint's fingerprint).</summary>
    internal virtual string Fingerprint =>
        $"{Optimizer} lr {LearningRate} ({LearningRateSchedule}{(LearningRateSchedule.Decay == LearningRateDecay.Cosine ? $" over {NumberOfEpochs} epochs" : "")}) wd {WeightDecay}, batch {BatchSize}, clip {GradientClipNorm}{(WeightAveragingDecay > 0 ? $", weight average {WeightAveragingDecay}" : "")}";

    /// <summary>Checks a probability option lies in [0, 1).</summary>
    protected static void CheckProbability(float value, string name)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
    }
}
