using System.Diagnostics;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Training;
using Microsoft.ML.Recurrent.Persistence;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>
/// Trains a <see cref="ManyToOneNetwork"/> on streamed examples: shuffled mini-batches, loss,
/// backpropagation, clipping, optimizer steps; validation after each epoch with early stopping that
/// keeps the best epoch's weights; progress to the MLContext log; cancellation; divergence checks.
/// </summary>
internal sealed class SequenceTrainingLoop
{
    private readonly RecurrentTrainerOptions _options;
    private readonly SequenceFeatureColumn _features;
    private readonly SequenceObjective _objective;
    private readonly SequenceBatch _batch = new();
    private int[] _droppedIds = [];
    private float[] _dScores = [];

    public SequenceTrainingLoop(RecurrentTrainerOptions options, SequenceFeatureColumn features, SequenceObjective objective)
    {
        _options = options;
        _features = features;
        _objective = objective;
    }

    /// <summary>Per-epoch results of the last <see cref="Train"/>.</summary>
    public IReadOnlyList<RecurrentEpochMetrics> History { get; private set; } = [];

    /// <summary>
    /// Trains a new network from <paramref name="seed"/> (or resumes the checkpoint) and returns it, with
    /// the best validation epoch's weights when there is validation data.
    /// </summary>
    public ManyToOneNetwork Train(IChannel channel, int seed, ExampleSource train, ExampleSource? validation)
    {
        var architecture = new ManyToOneArchitecture(_options.Cell, _features.IsTokens ? _options.EmbeddingSize : _features.FrameSize, _options.HiddenSize, _objective.OutputSize)
        {
            NumLayers = _options.NumberOfLayers,
            Bidirectional = _options.Bidirectional,
            VocabularySize = _features.VocabularySize,
            Dropout = _options.Dropout,
            Pooling = _options.Pooling,
        };
        var network = new ManyToOneNetwork(architecture, new Random(seed));
        Optimizer optimizer = CreateOptimizer(network.Parameters);
        string fingerprint = $"{architecture}, seed {seed}, {_options.Optimizer} lr {_options.LearningRate} wd {_options.WeightDecay}, batch {_options.BatchSize}, token dropout {_options.TokenDropout}";
        var progress = new TrainingProgress();
        if (_options.CheckpointPath is string path && File.Exists(path))
        {
            progress = TrainingCheckpoint.Load(path, fingerprint, network, optimizer);
            channel.Info(MessageSensitivity.None, $"Resuming from the checkpoint {path} after epoch {progress.Epoch}.");
        }
        History = progress.History;
        channel.Info(MessageSensitivity.None, $"Training a {(architecture.Bidirectional ? "bidirectional " : "")}{architecture.NumLayers}-layer {architecture.Cell} network with {network.Parameters.Sum(p => (long)p.Size):N0} parameters, {_options.Optimizer} lr {_options.LearningRate}.");

        while (progress.Epoch < _options.NumberOfEpochs)
        {
            int epoch = progress.Epoch + 1;
            if (RunEpoch(channel, epoch, seed, network, optimizer, train, validation, progress)) break;
            progress.Epoch = epoch;
            if (_options.CheckpointPath is string checkpoint && epoch % _options.CheckpointFrequency == 0 && epoch < _options.NumberOfEpochs)
                TrainingCheckpoint.Save(checkpoint, fingerprint, network, optimizer, progress);
        }
        if (progress.Best is float[][] best)
        {
            for (int i = 0; i < best.Length; i++) network.Parameters[i].Load(best[i]);
            channel.Info(MessageSensitivity.None, $"Kept the best epoch's weights (validation {_objective.MetricName} {progress.BestMetric:F4}).");
        }
        if (_options.CheckpointPath is string finished && File.Exists(finished)) File.Delete(finished);
        return network;
    }

    /// <summary>One pass over the training data, then validation and early stopping; returns true to stop early.</summary>
    private bool RunEpoch(IChannel channel, int epoch, int seed, ManyToOneNetwork network, Optimizer optimizer,
        ExampleSource train, ExampleSource? validation, TrainingProgress progress)
    {
        // Shuffling and dropout of an epoch depend on (seed, epoch) only, so a resumed run replays exactly.
        var random = new Random(unchecked(seed * 1_000_003 + epoch * 7_919 + 17));
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long count = 0;
        int batchNumber = 0;
        foreach (List<SequenceExample> examples in train.Batches(_options.BatchSize, random, _options.ShuffleBufferSize))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            batchNumber++;
            double loss = Step(network, optimizer, examples, random);
            if (!double.IsFinite(loss))
                throw new InvalidOperationException($"Training diverged in epoch {epoch}, mini-batch {batchNumber}: the loss became {loss}. Lower LearningRate (now {_options.LearningRate}) or clip gradients harder (GradientClipNorm, now {_options.GradientClipNorm}).");
            lossSum += loss * examples.Count;
            count += examples.Count;
        }
        if (count == 0) throw new InvalidOperationException("The training data has no rows to train on.");
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        (double validationLoss, double metric) = validation is null ? (double.NaN, double.NaN) : Evaluate(network, validation);
        progress.History.Add(new RecurrentEpochMetrics(epoch, lossSum / count, validationLoss, _objective.MetricName, metric, count / seconds));
        channel.Info(MessageSensitivity.None, $"Epoch {epoch}/{_options.NumberOfEpochs}: training loss {lossSum / count:F4}"
            + (validation is null ? "" : $", validation loss {validationLoss:F4}, validation {_objective.MetricName} {metric:F4}")
            + $", {count / seconds:F0} sequences/s.");
        if (validation is null) return false;
        if (progress.Best is null || (_objective.HigherIsBetter ? metric > progress.BestMetric : metric < progress.BestMetric))
        {
            progress.Best = [.. network.Parameters.Select(p => p.Value.ToArray())];
            progress.BestMetric = metric;
            progress.SinceBest = 0;
            return false;
        }
        if (_options.EarlyStoppingPatience == 0 || ++progress.SinceBest < _options.EarlyStoppingPatience) return false;
        channel.Info(MessageSensitivity.None, $"Stopping early: validation {_objective.MetricName} has not improved for {progress.SinceBest} epochs.");
        return true;
    }

    private double Step(ManyToOneNetwork network, Optimizer optimizer, List<SequenceExample> examples, Random random)
    {
        _batch.Fill(examples, _features.FrameSize);
        SequenceLayout layout = _batch.Layout;
        ReadOnlySpan<float> scores = _features.IsTokens
            ? network.Forward(layout, DropTokens(_batch.Ids, random), training: true, random)
            : network.Forward(layout, _batch.Frames(_features.FrameSize), training: true, random);
        if (_dScores.Length < scores.Length) _dScores = new float[scores.Length];
        Span<float> dScores = _dScores.AsSpan(0, scores.Length);
        double loss = _objective.Loss(scores, _batch.Targets, dScores);
        if (!double.IsFinite(loss)) return loss;
        network.Backward(dScores);
        if (_options.GradientClipNorm > 0) GradientClipping.ClipByGlobalNorm(network.Parameters, _options.GradientClipNorm);
        optimizer.Step();
        optimizer.ZeroGradients();
        return loss;
    }

    private ReadOnlySpan<int> DropTokens(ReadOnlySpan<int> ids, Random random)
    {
        if (_options.TokenDropout == 0) return ids;
        if (_droppedIds.Length < ids.Length) _droppedIds = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++) _droppedIds[i] = random.NextSingle() < _options.TokenDropout ? 0 : ids[i];
        return _droppedIds.AsSpan(0, ids.Length);
    }

    /// <summary>Mean loss and the metric of <paramref name="network"/> on <paramref name="data"/> (no dropout).</summary>
    private (double Loss, double Metric) Evaluate(ManyToOneNetwork network, ExampleSource data)
    {
        double lossSum = 0, metricSum = 0;
        long count = 0;
        foreach (List<SequenceExample> examples in data.Batches(_options.BatchSize, shuffle: null, _options.ShuffleBufferSize))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            _batch.Fill(examples, _features.FrameSize);
            ReadOnlySpan<float> scores = _features.IsTokens
                ? network.Forward(_batch.Layout, _batch.Ids)
                : network.Forward(_batch.Layout, _batch.Frames(_features.FrameSize));
            lossSum += _objective.Loss(scores, _batch.Targets, default) * examples.Count;
            metricSum += _objective.MetricSum(scores, _batch.Targets);
            count += examples.Count;
        }
        if (count == 0) throw new InvalidOperationException("The validation data has no rows.");
        return (lossSum / count, _objective.FinishMetric(metricSum, count));
    }

    private Optimizer CreateOptimizer(IReadOnlyList<Parameter> parameters) => _options.Optimizer switch
    {
        RecurrentOptimizer.Adam => new Adam(parameters, _options.LearningRate, weightDecay: _options.WeightDecay),
        RecurrentOptimizer.AdamW => Adam.AdamW(parameters, _options.LearningRate, _options.WeightDecay),
        RecurrentOptimizer.Sgd => new Sgd(parameters, _options.LearningRate, momentum: 0.9f, weightDecay: _options.WeightDecay),
        RecurrentOptimizer.RmsProp => new RmsProp(parameters, _options.LearningRate, weightDecay: _options.WeightDecay),
        RecurrentOptimizer.Adagrad => new Adagrad(parameters, _options.LearningRate, weightDecay: _options.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(RecurrentTrainerOptions.Optimizer), _options.Optimizer, "Unknown optimizer."),
    };
}
