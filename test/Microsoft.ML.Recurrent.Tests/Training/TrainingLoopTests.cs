using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Sequences;
using Microsoft.ML.Recurrent.Training;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Training;

/// <summary>What the shared training loop does for every trainer: divergence, schedules, progress, best weights, threads.</summary>
[TestClass]
public sealed class TrainingLoopTests
{
    [TestMethod]
    [DataRow(RecurrentOptimizer.Adam)]
    [DataRow(RecurrentOptimizer.RmsProp)]
    [DataRow(RecurrentOptimizer.Adagrad)]
    public void ALossThatExplodesWhileFiniteStopsTraining(RecurrentOptimizer optimizer)
    {
        // Learning rate 1e4 without clipping used to finish silently with an RMSE of ~1e4 on labels within +-1.5.
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Windows(400, 1));
        var options = new RecurrentTrainerOptions { HiddenSize = 8, NumberOfEpochs = 3, LearningRate = 1e4f, GradientClipNorm = 0, Optimizer = optimizer };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Regression.Trainers.Recurrent(options).Fit(data));
        StringAssert.Contains(error.Message, "Training diverged in epoch 1");
        StringAssert.Contains(error.Message, "times the untrained model's");
        StringAssert.Contains(error.Message, "LearningRate (now 10000)");
    }

    [TestMethod]
    public void AnEpochLossRisingForSeveralEpochsIsDivergence()
    {
        var options = new RecurrentTrainerOptions { DivergencePatience = 3 };
        List<RecurrentEpochMetrics> history = [.. new[] { 1.0, 0.5, 0.6, 0.8, 0.9 }.Select((loss, i) => Epoch(i + 1, loss))];
        DivergenceCheck.CheckEpochs(options, history); // rising for 3 epochs but still below the first epoch's loss
        history.Add(Epoch(6, 1.2));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => DivergenceCheck.CheckEpochs(options, history));
        StringAssert.Contains(error.Message, "rose for 3 epochs in a row");
        history.Add(Epoch(7, 1.1));
        DivergenceCheck.CheckEpochs(options, history); // a fall ends the run of rises
        DivergenceCheck.CheckEpochs(new RecurrentTrainerOptions { DivergenceThreshold = 0 }, [.. history.Take(6)]);
    }

    private static RecurrentEpochMetrics Epoch(int epoch, double loss) => new(epoch, loss, double.NaN, "RMSE", double.NaN, 1);

    [TestMethod]
    public void EarlyStoppingRestoresTheBestEpochsWeights()
    {
        var ml = new MLContext(seed: 2);
        IDataView train = ml.Data.LoadFromEnumerable(Windows(40, 3));
        IDataView validation = ml.Data.LoadFromEnumerable(Windows(300, 4));
        // A high learning rate on few rows: the validation RMSE moves around, so the last epoch is not the best.
        var options = new RecurrentTrainerOptions { HiddenSize = 32, NumberOfEpochs = 15, LearningRate = 0.03f, BatchSize = 4, EarlyStoppingPatience = 0, DivergencePatience = 0 };
        RecurrentSequenceTransformer model = ml.Regression.Trainers.Recurrent(options).Fit(train, validation);
        double[] metrics = [.. model.TrainingHistory.Select(h => h.ValidationMetric)];
        int best = Array.IndexOf(metrics, metrics.Min());
        Assert.AreNotEqual(metrics.Length - 1, best, $"the test needs a run whose last epoch is not its best: {string.Join(", ", metrics.Select(m => m.ToString("F4")))}");
        double rmse = ml.Regression.Evaluate(model.Transform(validation)).RootMeanSquaredError;
        Assert.AreEqual(metrics[best], rmse, 1e-4 * metrics[best], $"the model has epoch {best + 1}'s weights");
    }

    [TestMethod]
    public void ProgressCallbackReportsBatchesEpochsRatesAndTimeLeft()
    {
        var ml = new MLContext(seed: 3);
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(320, 3));
        var reports = new List<TrainingProgressReport>();
        var options = new RecurrentTrainerOptions
        {
            HiddenSize = 8, NumberOfEpochs = 3, BatchSize = 32, ValidationFraction = 0.25f, LearningRate = 0.01f, ProgressInterval = 2,
            LearningRateSchedule = new LearningRateSchedule { Decay = LearningRateDecay.Exponential, Gamma = 0.5f },
            Progress = reports.Add,
        };
        ml.BinaryClassification.Trainers.Recurrent(options).Fit(data);
        TrainingProgressReport[] ends = [.. reports.Where(r => r.IsEpochEnd)];
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, ends.Select(r => r.Epoch).ToArray());
        CollectionAssert.AreEqual(new[] { 0.01f, 0.005f, 0.0025f }, ends.Select(r => r.LearningRate).ToArray());
        Assert.IsTrue(ends.All(r => r.MetricName == "accuracy" && r.ValidationMetric is >= 0 and <= 1 && r.TrainingLoss > 0));
        int batches = ends[0].Batch;
        Assert.IsTrue(batches is >= 7 and <= 9, $"{batches} mini-batches of 32 from about 240 training rows");
        TrainingProgressReport[] within = [.. reports.Where(r => !r.IsEpochEnd)];
        Assert.IsTrue(within.All(r => r.Batch % 2 == 0), "reports every ProgressInterval mini-batches");
        Assert.IsNull(within[0].EstimatedRemaining, "nothing to estimate from before the first epoch ends");
        Assert.IsTrue(reports.SkipWhile(r => !r.IsEpochEnd).All(r => r.EstimatedRemaining is not null && r.BatchesPerEpoch == batches));
        Assert.AreEqual(TimeSpan.Zero, ends[^1].EstimatedRemaining);
    }

    [TestMethod]
    public void ReduceOnPlateauLowersTheRateWhenValidationStopsImproving()
    {
        var ml = new MLContext(seed: 4);
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains(nameof(RecurrentSequenceTrainer))) lock (messages) messages.Add(e.Message); };
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(200, 4));
        var rates = new List<float>();
        var options = new RecurrentTrainerOptions
        {
            HiddenSize = 4, NumberOfEpochs = 8, ValidationFraction = 0.3f, EarlyStoppingPatience = 0, LearningRate = 0.02f,
            LearningRateSchedule = new LearningRateSchedule { Decay = LearningRateDecay.ReduceOnPlateau, PlateauPatience = 1, Gamma = 0.5f },
            Progress = r => { if (r.IsEpochEnd) rates.Add(r.LearningRate); },
        };
        RecurrentSequenceTransformer model = ml.BinaryClassification.Trainers.Recurrent(options).Fit(data);
        double[] accuracy = [.. model.TrainingHistory.Select(h => h.ValidationMetric)];
        // Replay the rule on the recorded metrics: after an epoch that does not beat the best, the next epoch runs at half the rate.
        float expected = 0.02f;
        double best = double.NaN;
        for (int e = 0; e < accuracy.Length; e++)
        {
            Assert.AreEqual(expected, rates[e], $"epoch {e + 1}; accuracies {string.Join(", ", accuracy)}");
            if (double.IsNaN(best) || accuracy[e] > best) best = accuracy[e];
            else expected *= 0.5f;
        }
        Assert.IsLessThan(0.02f, rates[^1], $"accuracy plateaued at some point in 8 epochs: {string.Join(", ", accuracy)}");
        Assert.IsTrue(messages.Any(m => m.Contains("the learning rate becomes")), string.Join("\n", messages));
    }
}

/// <summary>NumberOfThreads is honoured per trainer, on its own thread, and does not change the result.</summary>
[TestClass]
[DoNotParallelize]
public sealed class NumberOfThreadsTests
{
    [TestMethod]
    public void OneAndTwoThreadsTrainTheSameModelAndTwoReallyRan()
    {
        float[] Train(int threads)
        {
            var ml = new MLContext(seed: 5);
            IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(256, 5));
            // Batches of 64 with H=64 make the step products large enough to split over threads.
            var options = new RecurrentTrainerOptions { HiddenSize = 64, BatchSize = 64, NumberOfEpochs = 1, NumberOfThreads = threads };
            long before = Microsoft.ML.Recurrent.Engine.Threading.WorkerPool.ParallelJobsOnThisThread;
            RecurrentSequenceTransformer model = ml.BinaryClassification.Trainers.Recurrent(options).Fit(data);
            long jobs = Microsoft.ML.Recurrent.Engine.Threading.WorkerPool.ParallelJobsOnThisThread - before;
            if (threads == 1) Assert.AreEqual(0L, jobs, "NumberOfThreads = 1 ran parallel jobs");
            else Assert.IsGreaterThan(0L, jobs, "NumberOfThreads = 2 never used a second thread");
            Assert.AreEqual(Math.Max(1, Environment.ProcessorCount), Microsoft.ML.Recurrent.Engine.Threading.WorkerPool.Parallelism, "the process-wide setting is untouched");
            return [.. model.Transform(data).GetColumn<float>("Score")];
        }
        CollectionAssert.AreEqual(Train(1), Train(2));
    }
}
