using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Sequences;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Persistence;

/// <summary>A run interrupted after a checkpoint and resumed ends exactly where an uninterrupted run does.</summary>
[TestClass]
public sealed class CheckpointTests
{
    private static RecurrentTrainerOptions Options(string? checkpoint, CancellationToken token = default, float averaging = 0) => new()
    {
        HiddenSize = 6, NumberOfEpochs = 4, Dropout = 0.2f, ValidationFraction = 0.25f, EarlyStoppingPatience = 0,
        CheckpointPath = checkpoint, CancellationToken = token, WeightAveragingDecay = averaging,
    };

    private static float[] Scores(RecurrentTrainerOptions options, List<string>? log = null, Action<string>? onMessage = null)
    {
        var ml = new MLContext(seed: 9);
        ml.Log += (_, e) => { if (e.Source.Contains(nameof(RecurrentSequenceTrainer))) { log?.Add(e.Message); onMessage?.Invoke(e.Message); } };
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(300, 9));
        return [.. ml.BinaryClassification.Trainers.Recurrent(options).Fit(data).Transform(data).GetColumn<float>("Score")];
    }

    [TestMethod]
    [DataRow(0f)]
    [DataRow(0.99f)]   // the weights' moving average travels in the checkpoint too
    public void ResumedRunEqualsUninterruptedRun(float averaging)
    {
        float[] uninterrupted = Scores(Options(null, averaging: averaging));
        string path = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.ckpt");
        try
        {
            using var cancel = new CancellationTokenSource();
            Assert.ThrowsExactly<OperationCanceledException>(() => Scores(Options(path, cancel.Token, averaging), onMessage: m => { if (m.Contains("Epoch 2/4")) cancel.Cancel(); }));
            Assert.IsTrue(File.Exists(path), "a checkpoint was written after epoch 2");
            var log = new List<string>();
            float[] resumed = Scores(Options(path, averaging: averaging), log);
            Assert.IsTrue(log.Any(m => m.Contains("Resuming from the checkpoint") && m.Contains("after epoch 2")), string.Join("\n", log));
            Assert.IsFalse(log.Any(m => m.Contains("Epoch 1/4")), "epochs before the checkpoint are not repeated");
            CollectionAssert.AreEqual(uninterrupted, resumed);
            Assert.IsFalse(File.Exists(path), "the checkpoint is removed once training completes");
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void CheckpointOfAnotherConfigurationIsRefused()
    {
        string path = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.ckpt");
        try
        {
            using var cancel = new CancellationTokenSource();
            Assert.ThrowsExactly<OperationCanceledException>(() => Scores(Options(path, cancel.Token), onMessage: m => { if (m.Contains("Epoch 1/4")) cancel.Cancel(); }));
            RecurrentTrainerOptions other = Options(path);
            other.HiddenSize = 7;
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => Scores(other));
            StringAssert.Contains(error.Message, "was written by a different training run");
            File.WriteAllBytes(path, [1, 2, 3]);
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Scores(Options(path))).Message, "not a Microsoft.ML.Recurrent training checkpoint");
        }
        finally { File.Delete(path); }
    }
}
