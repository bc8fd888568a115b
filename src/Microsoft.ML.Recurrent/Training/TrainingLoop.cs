using System.Diagnostics;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Threading;
using Microsoft.ML.Recurrent.Engine.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent.Training;

/// <summary>
/// The one training loop of every Microsoft.ML.Recurrent trainer: epochs of shuffled mini-batches
/// (loss and gradients from the <see cref="ITrainableModel{TExample}"/>, clipping, the learning-rate
/// schedule, optimizer steps), validation after each epoch with early stopping that restores the best
/// epoch's weights (or the weights' moving average), divergence checks, checkpoints with exact resume, cancellation, and progress to
/// the MLContext log and the options' callback.
/// </summary>
/// <typeparam name="TExample">One training example of the model's family.</typeparam>
internal sealed class TrainingLoop<TExample>
{
    private readonly RecurrentTrainingOptions _options;

    /// <summary>Creates the loop for <paramref name="options"/> (validated by the caller).</summary>
    public TrainingLoop(RecurrentTrainingOptions options) => _options = options;

    /// <summary>Per-epoch results of the last <see cref="Train"/>.</summary>
    public IReadOnlyList<RecurrentEpochMetrics> History { get; private set; } = [];

    /// <summary>Called with the epoch number after each epoch's validation and progress report (e.g. to show a language model's samples).</summary>
    public Action<int>? EpochEnded { get; init; }

    /// <summary>Called with the epoch number before each epoch's first mini-batch, resumed runs included (e.g. SortaGrad's first-epoch order).</summary>
    public Action<int>? EpochStarting { get; init; }

    /// <summary>
    /// Trains <paramref name="model"/> from its current (initialized) weights, or resumes the checkpoint, and
    /// leaves it with the best validation epoch's weights when there is validation data.
    /// </summary>
    /// <param name="channel">The MLContext log.</param>
    /// <param name="seed">Seed of every epoch's shuffling and dropout (with the epoch number).</param>
    /// <param name="model">The model to train.</param>
    /// <param name="train">Training examples.</param>
    /// <param name="validation">Validation examples, or null.</param>
    /// <param name="description">What is trained, for the log.</param>
    /// <param name="configuration">Every setting of the model that a checkpoint must match (its fingerprint).</param>
    public void Train(IChannel channel, int seed, ITrainableModel<TExample> model, IExampleSource<TExample> train,
        IExampleSource<TExample>? validation, string description, string configuration)
    {
        using WorkerPool.ThreadLimit threads = WorkerPool.LimitThreads(_options.NumberOfThreads);
        Optimizer optimizer = OptimizerFactory.Create(_options, model.Parameters);
        string fingerprint = $"{configuration}, seed {seed}, {_options.Fingerprint}";
        var state = new TrainingState();
        if (_options.CheckpointPath is string path && File.Exists(path))
        {
            state = TrainingCheckpoint.Load(path, fingerprint, model.Parameters, optimizer);
            channel.Info(MessageSensitivity.None, $"Resuming from the checkpoint {path} after epoch {state.Epoch}.");
        }
        History = state.History;
        if (_options.WeightAveragingDecay > 0) state.Averaged ??= WeightAverage.Copy(model.Parameters);
        channel.Info(MessageSensitivity.None, $"Training {description} with {model.Parameters.Sum(p => (long)p.Size):N0} parameters, {_options.Optimizer} lr {_options.LearningRate}.");

        var run = new RunClock();
        while (state.Epoch < _options.NumberOfEpochs)
        {
            int epoch = state.Epoch + 1;
            bool stop = RunEpoch(channel, epoch, seed, model, optimizer, train, validation, state, run);
            state.Epoch = epoch;
            if (stop) break;
            if (_options.CheckpointPath is string checkpoint && epoch % _options.CheckpointFrequency == 0 && epoch < _options.NumberOfEpochs)
                TrainingCheckpoint.Save(checkpoint, fingerprint, model.Parameters, optimizer, state);
        }
        if (state.Best is float[][] best)
        {
            WeightAverage.Load(model.Parameters, best);
            channel.Info(MessageSensitivity.None, $"Kept the best epoch's {(state.Averaged is null ? "" : "averaged ")}weights (validation {model.MetricName} {state.BestMetric:F4}).");
        }
        else if (state.Averaged is float[][] averaged)
        {
            WeightAverage.Load(model.Parameters, averaged);
            channel.Info(MessageSensitivity.None, $"Kept the moving average of the weights (decay {_options.WeightAveragingDecay}).");
        }
        if (_options.CheckpointPath is string finished && File.Exists(finished)) File.Delete(finished);
    }

    /// <summary>One pass over the training data, then validation, schedules and early stopping; returns true to stop early.</summary>
    private bool RunEpoch(IChannel channel, int epoch, int seed, ITrainableModel<TExample> model, Optimizer optimizer,
        IExampleSource<TExample> train, IExampleSource<TExample>? validation, TrainingState state, RunClock run)
    {
        EpochStarting?.Invoke(epoch);
        // Shuffling and dropout of an epoch depend on (seed, epoch) only, so a resumed run replays exactly.
        var random = new Random(unchecked(seed * 1_000_003 + epoch * 7_919 + 17));
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long count = 0;
        int batchNumber = 0;
        foreach (IReadOnlyList<TExample> examples in train.Batches(_options.BatchSize, random, _options.ShuffleBufferSize))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            batchNumber++;
            double loss = model.TrainBatch(examples, random);
            DivergenceCheck.CheckBatch(_options, state, loss, epoch, batchNumber);
            if (_options.GradientClipNorm > 0) GradientClipping.ClipByGlobalNorm(model.Parameters, _options.GradientClipNorm);
            optimizer.LearningRate = _options.LearningRateSchedule.Rate(_options.LearningRate, epoch, optimizer.StepCount + 1L, _options.NumberOfEpochs, state.PlateauScale);
            optimizer.Step();
            optimizer.ZeroGradients();
            if (state.Averaged is float[][] average) WeightAverage.Update(average, model.Parameters, _options.WeightAveragingDecay, optimizer.StepCount);
            lossSum += loss * examples.Count;
            count += examples.Count;
            if (_options.Progress is not null && batchNumber % _options.ProgressInterval == 0)
                _options.Progress(Report(model, epoch, batchNumber, lossSum / count, optimizer, count / clock.Elapsed.TotalSeconds, run, clock.Elapsed, false, double.NaN, double.NaN));
        }
        if (count == 0) throw new InvalidOperationException("The training data has no rows to train on.");
        run.BatchesPerEpoch = batchNumber;
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9), trainingLoss = lossSum / count;
        (double validationLoss, double metric) = validation is null ? (double.NaN, double.NaN)
            : WeightAverage.WithAverage(state.Averaged, model.Parameters,
                () => model.Evaluate(Cancellable(validation.Batches(_options.BatchSize, shuffle: null, _options.ShuffleBufferSize))));
        run.EpochDone(clock.Elapsed);
        state.History.Add(new RecurrentEpochMetrics(epoch, trainingLoss, validationLoss, model.MetricName, metric, count / seconds));
        channel.Info(MessageSensitivity.None, $"Epoch {epoch}/{_options.NumberOfEpochs}: training loss {trainingLoss:F4}"
            + (validation is null ? "" : $", validation loss {validationLoss:F4}, validation {model.MetricName} {metric:F4}")
            + $", {count / seconds:F0} sequences/s, learning rate {optimizer.LearningRate:G3}.");
        _options.Progress?.Invoke(Report(model, epoch, batchNumber, trainingLoss, optimizer, count / seconds, run, TimeSpan.Zero, true, validationLoss, metric));
        EpochEnded?.Invoke(epoch);
        DivergenceCheck.CheckEpochs(_options, state.History);
        UpdatePlateau(channel, state, validation is null ? trainingLoss : metric, validation is null || !model.HigherIsBetter);
        if (validation is null) return false;
        if (state.Best is null || (model.HigherIsBetter ? metric > state.BestMetric : metric < state.BestMetric))
        {
            state.Best = state.Averaged is float[][] averaged ? [.. averaged.Select(a => a.ToArray())] : WeightAverage.Copy(model.Parameters);
            state.BestMetric = metric;
            state.SinceBest = 0;
            return false;
        }
        if (_options.EarlyStoppingPatience == 0 || ++state.SinceBest < _options.EarlyStoppingPatience) return false;
        channel.Info(MessageSensitivity.None, $"Stopping early: validation {model.MetricName} has not improved for {state.SinceBest} epochs.");
        return true;
    }

    /// <summary>Lowers the rate of a <see cref="LearningRateDecay.ReduceOnPlateau"/> schedule when <paramref name="value"/> stops improving.</summary>
    private void UpdatePlateau(IChannel channel, TrainingState state, double value, bool lowerIsBetter)
    {
        LearningRateSchedule schedule = _options.LearningRateSchedule;
        if (schedule.Decay != LearningRateDecay.ReduceOnPlateau) return;
        if (double.IsNaN(state.PlateauBest) || (lowerIsBetter ? value < state.PlateauBest : value > state.PlateauBest))
        {
            state.PlateauBest = value;
            state.PlateauWait = 0;
            return;
        }
        if (++state.PlateauWait < schedule.PlateauPatience) return;
        state.PlateauScale *= schedule.Gamma;
        state.PlateauWait = 0;
        channel.Info(MessageSensitivity.None, $"No improvement for {schedule.PlateauPatience} epochs: the learning rate becomes {_options.LearningRateSchedule.Rate(_options.LearningRate, 1, long.MaxValue, 1, state.PlateauScale):G3}.");
    }

    private TrainingProgressReport Report(ITrainableModel<TExample> model, int epoch, int batch, double loss, Optimizer optimizer,
        double examplesPerSecond, RunClock run, TimeSpan inEpoch, bool epochEnd, double validationLoss, double metric) =>
        new(epoch, _options.NumberOfEpochs, batch, run.BatchesPerEpoch, loss, optimizer.LearningRate, examplesPerSecond, run.Elapsed,
            run.Remaining(epoch, _options.NumberOfEpochs, epochEnd ? 1.0 : run.BatchesPerEpoch is int b ? Math.Min(1.0, (double)batch / b) : double.NaN, inEpoch),
            epochEnd, model.MetricName, validationLoss, metric);

    private IEnumerable<IReadOnlyList<TExample>> Cancellable(IEnumerable<IReadOnlyList<TExample>> batches)
    {
        foreach (IReadOnlyList<TExample> batch in batches)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            yield return batch;
        }
    }

    /// <summary>Wall time of this run (a resumed run counts from its resumption) and the time-left estimate.</summary>
    private sealed class RunClock
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _epochs;
        private int _epochCount;

        public int? BatchesPerEpoch { get; set; }

        public TimeSpan Elapsed => _clock.Elapsed;

        public void EpochDone(TimeSpan duration) { _epochs += duration; _epochCount++; }

        /// <summary>Time left after <paramref name="done"/> of epoch <paramref name="epoch"/>: from whole epochs of this run, else from this epoch's pace.</summary>
        public TimeSpan? Remaining(int epoch, int epochs, double done, TimeSpan inEpoch)
        {
            if (double.IsNaN(done)) return null;
            double left = epochs - epoch + 1 - done;
            if (_epochCount > 0) return TimeSpan.FromSeconds(left * _epochs.TotalSeconds / _epochCount);
            return done > 0 ? TimeSpan.FromSeconds(left * inEpoch.TotalSeconds / done) : null;
        }
    }
}
