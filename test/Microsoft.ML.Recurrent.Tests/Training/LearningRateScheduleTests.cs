namespace Microsoft.ML.Recurrent.Tests.Training;

/// <summary>The schedule's rates follow their formulas, and the loop applies them.</summary>
[TestClass]
public sealed class LearningRateScheduleTests
{
    [TestMethod]
    public void DecaysFollowTheirFormulas()
    {
        var step = new LearningRateSchedule { Decay = LearningRateDecay.Step, StepEpochs = 2, Gamma = 0.5f };
        CollectionAssert.AreEqual(new[] { 1f, 1f, 0.5f, 0.5f, 0.25f }, Enumerable.Range(1, 5).Select(e => step.Rate(1f, e, 1000, 5, 1f)).ToArray());
        var exponential = new LearningRateSchedule { Decay = LearningRateDecay.Exponential, Gamma = 0.1f };
        Assert.AreEqual(0.01f, exponential.Rate(1f, 3, 1000, 5, 1f), 1e-7f);
        var cosine = new LearningRateSchedule { Decay = LearningRateDecay.Cosine, MinimumLearningRate = 0.1f };
        Assert.AreEqual(1f, cosine.Rate(1f, 1, 1000, 5, 1f), 1e-6f);
        Assert.AreEqual(0.55f, cosine.Rate(1f, 3, 1000, 5, 1f), 1e-6f);
        Assert.AreEqual(0.1f, cosine.Rate(1f, 5, 1000, 5, 1f), 1e-6f);
        var plateau = new LearningRateSchedule { Decay = LearningRateDecay.ReduceOnPlateau };
        Assert.AreEqual(0.25f, plateau.Rate(1f, 7, 1000, 10, 0.25f));
        var floor = new LearningRateSchedule { Decay = LearningRateDecay.Exponential, Gamma = 0.1f, MinimumLearningRate = 0.05f };
        Assert.AreEqual(0.05f, floor.Rate(1f, 9, 1000, 10, 1f), 1e-7f);
    }

    [TestMethod]
    public void WarmUpRisesLinearlyOverItsSteps()
    {
        var warm = new LearningRateSchedule { WarmupSteps = 4 };
        CollectionAssert.AreEqual(new[] { 0.5f, 1f, 1.5f, 2f, 2f }, Enumerable.Range(1, 5).Select(s => warm.Rate(2f, 1, s, 3, 1f)).ToArray());
    }

    [TestMethod]
    public void InvalidSettingsAreRejectedByName()
    {
        var options = new RecurrentTrainerOptions { LearningRateSchedule = new LearningRateSchedule { Gamma = 1.5f } };
        var ml = new MLContext(1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Recurrent(options));
        Assert.AreEqual("Gamma", error.ParamName);
    }
}
