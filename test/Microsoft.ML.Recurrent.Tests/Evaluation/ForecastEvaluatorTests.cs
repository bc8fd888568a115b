namespace Microsoft.ML.Recurrent.Tests.Evaluation;

/// <summary>The forecast evaluator against hand-computed errors, scales and coverage.</summary>
[TestClass]
public sealed class ForecastEvaluatorTests
{
    [TestMethod]
    public void ErrorsPerStepAndOverallMatchHandCounts()
    {
        // Training series 1, 2, 4, 7: the seasonal naive (lag 1) errors are 1, 2, 3, so the MASE scale is 2.
        float[] training = [1, 2, 4, 7];
        ForecastWindow[] windows =
        [
            new([10, 20], [11, 18], Lower: [9, 19], Upper: [12, 21]),   // errors +1, -2; both inside
            new([10, 20], [10, 23], Lower: [8, 21], Upper: [12, 25]),   // errors 0, +3; second outside
        ];
        ForecastMetrics m = ForecastEvaluator.Evaluate(windows, training);
        Assert.AreEqual(2, m.Origins);
        Assert.AreEqual(0.5, m.PerStep[0].Mae, 1e-12);
        Assert.AreEqual(Math.Sqrt(0.5), m.PerStep[0].Rmse, 1e-12);
        Assert.AreEqual(2.5, m.PerStep[1].Mae, 1e-12);
        Assert.AreEqual(Math.Sqrt(6.5), m.PerStep[1].Rmse, 1e-12);
        Assert.AreEqual(1.5, m.Overall.Mae, 1e-12);
        Assert.AreEqual(0.75, m.Overall.Mase, 1e-12, "MAE 1.5 over the scale 2");
        Assert.AreEqual(0.75, m.Overall.Coverage, 1e-12, "3 of 4 actual values inside their intervals");
        Assert.AreEqual(1.0, m.PerStep[0].Coverage, 1e-12);
        // sMAPE of step 1: (2*1/21 + 0) / 2.
        Assert.AreEqual((2.0 / 21) / 2, m.PerStep[0].Smape, 1e-12);
        StringAssert.Contains(m.ToString(), "horizon 2");
    }

    [TestMethod]
    public void BadWindowsAreRefusedWithTheirOrigin()
    {
        float[] training = [1, 2, 3];
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ForecastEvaluator.Evaluate([new([1, 2], [1, 2]), new([1], [1])], training)).Message, "Origin 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ForecastEvaluator.Evaluate([new([float.NaN], [1])], training)).Message, "not finite");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ForecastEvaluator.Evaluate([new([1], [1])], training, season: 3)).Message, "season 3");
    }
}
