using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent.Tests.Training;

/// <summary>
/// The training loop's moving average of the weights: validation and the kept model see the average, training goes on
/// from the raw weights, checkpoints carry it, and the option is checked.
/// </summary>
[TestClass]
public sealed class WeightAveragingTests
{
    [TestMethod]
    public void ValidationAndTheKeptModelUseTheAverageWhileTrainingGoesOnFromTheRawWeights()
    {
        const float decay = 0.9f;
        var model = new RecordingModel();
        var options = new RecurrentTrainerOptions { NumberOfEpochs = 2, BatchSize = 1, Optimizer = RecurrentOptimizer.Sgd, LearningRate = 0.1f, EarlyStoppingPatience = 0, WeightAveragingDecay = decay, DivergenceThreshold = 0 };
        var examples = new Examples(6);
        var loop = new TrainingLoop<int>(options);
        using (IChannel channel = ((IHostEnvironment)new MLContext(1)).Start("test")) loop.Train(channel, 1, model, examples, examples, "a test model", "w");

        // Batch t + 1 starts from the raw weight after step t, so epoch 1's average is rebuilt from the entries of batches 1-7
        // (batch 7, epoch 2's first, starts from step 6's result).
        float[] raw = [.. model.Entries];
        Assert.HasCount(12, raw);
        float Average(int steps)
        {
            float average = raw[0];
            for (int t = 1; t <= steps; t++)
            {
                float d = Math.Min(decay, (1f + t) / (10f + t));
                average = d * average + (1 - d) * raw[t];
            }
            return average;
        }
        Assert.AreEqual(Average(6), model.Evaluated[0], 1e-6f, "epoch 1 is validated on the average of its six steps");
        Assert.AreNotEqual(model.Evaluated[0], raw[6], "epoch 2 trains on from the raw weights, not the average");
        // The second epoch scores better (RecordingModel's metric falls each call), so its average is what Fit keeps.
        Assert.AreEqual(model.Evaluated[1], model.W.Value[0], "the kept model is the best epoch's averaged weights");
    }

    [TestMethod]
    public void TheDecayMustBeBelowOne()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecurrentTrainerOptions { WeightAveragingDecay = 1 }.Validate());
        StringAssert.Contains(e.Message, "WeightAveragingDecay");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecurrentTrainerOptions { WeightAveragingDecay = -0.1f }.Validate());
    }

    /// <summary>One weight, loss = w (gradient 1); records the weight each batch starts from and each evaluation sees.</summary>
    private sealed class RecordingModel : ITrainableModel<int>
    {
        public Parameter W { get; } = new("w", 1);

        public List<float> Entries { get; } = [];

        public List<float> Evaluated { get; } = [];

        public IReadOnlyList<Parameter> Parameters => [W];

        public string MetricName => "loss";

        public bool HigherIsBetter => false;

        public double TrainBatch(IReadOnlyList<int> batch, Random random)
        {
            Entries.Add(W.Value[0]);
            W.Gradient[0] += 1;
            return 1 + W.Value[0] * W.Value[0];
        }

        public (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<int>> batches)
        {
            Evaluated.Add(W.Value[0]);
            return (1, 10 - Evaluated.Count);
        }
    }

    private sealed class Examples(int count) : IExampleSource<int>
    {
        public IEnumerable<IReadOnlyList<int>> Batches(int batchSize, Random? shuffle, int bufferSize)
        {
            for (int i = 0; i < count; i++) yield return [i];
        }
    }
}
