using Microsoft.ML.Recurrent.Forecasting;

namespace Microsoft.ML.Recurrent.Tests.Forecasting;

/// <summary>How the forecaster cuts windows and holds out origins, checked by hand on short series.</summary>
[TestClass]
public sealed class ForecastWindowTests
{
    [TestMethod]
    public void AWindowReadsItsPastTheKnownFutureAndTargetsTheHorizon()
    {
        // Channels: value t, past covariate 10 + t, known covariate 100 + t.
        float[][] series = [[.. Enumerable.Range(0, 10).Select(t => (float)t)], [.. Enumerable.Range(0, 10).Select(t => 10f + t)], [.. Enumerable.Range(0, 10).Select(t => 100f + t)]];
        var frames = new ForecastFrames(WindowSize: 3, Outputs: 2, PastCount: 1, KnownCount: 1, ForecastNormalization.LastValue);
        Assert.AreEqual(5, frames.Steps);
        Assert.AreEqual(5, frames.FrameSize);
        float[] packed = new float[frames.Steps * frames.FrameSize];
        frames.FillInput(series, origin: 5, b: 0, batchSize: 1, packed);
        float[] expected =
        [
            2 - 4, 2, 12, 102, 1,   // row 2: value relative to the last observed (row 4), level, past, known, observed
            3 - 4, 3, 13, 103, 1,
            4 - 4, 4, 14, 104, 1,
            0, 0, 0, 105, 0,        // row 5: only the known covariate
            0, 0, 0, 106, 0,
        ];
        CollectionAssert.AreEqual(expected, packed);
        float[] targets = new float[2];
        frames.FillTargets(series, 5, targets);
        CollectionAssert.AreEqual(new float[] { 5 - 4, 6 - 4 }, targets);

        var global = new ForecastFrames(3, 1, 0, 0, ForecastNormalization.Global);
        float[] plain = new float[global.Steps * global.FrameSize];
        Assert.AreEqual(3, global.Steps, "without known covariates there are no future steps");
        global.FillInput(series, origin: 3, b: 0, batchSize: 1, plain);
        CollectionAssert.AreEqual(new float[] { 0, 1, 1, 1, 2, 1 }, plain);
        global.FillTargets(series, 3, targets.AsSpan(0, 1));
        Assert.AreEqual(3f, targets[0]);
    }

    [TestMethod]
    public void WithASeasonEachFutureStepReadsTheLatestValueOfItsPhase()
    {
        float[][] series = [[.. Enumerable.Range(0, 10).Select(t => (float)t)]];
        var frames = new ForecastFrames(WindowSize: 3, Outputs: 3, PastCount: 0, KnownCount: 0, ForecastNormalization.LastValue, Season: 2);
        Assert.AreEqual(6, frames.Steps, "a season adds the future steps even without known covariates");
        Assert.AreEqual(4, frames.FrameSize);
        float[] packed = new float[frames.Steps * frames.FrameSize];
        frames.FillInput(series, origin: 5, b: 0, batchSize: 1, packed);
        float[] expected =
        [
            2 - 4, 2, 0, 1,
            3 - 4, 3, 0, 1,
            4 - 4, 4, 0, 1,
            0, 0, 3 - 4, 0,   // row 5's phase was last seen at row 3
            0, 0, 4 - 4, 0,   // row 6: row 4
            0, 0, 3 - 4, 0,   // row 7: row 3 again (two seasons back)
        ];
        CollectionAssert.AreEqual(expected, packed);
    }

    [TestMethod]
    public void ABatchIsPackedTimeMajor()
    {
        float[][] series = [[.. Enumerable.Range(0, 10).Select(t => (float)t)]];
        var frames = new ForecastFrames(2, 1, 0, 0, ForecastNormalization.Global);
        float[] packed = new float[frames.Steps * 2 * frames.FrameSize];
        frames.FillInput(series, 2, 0, 2, packed);
        frames.FillInput(series, 7, 1, 2, packed);
        CollectionAssert.AreEqual(new float[] { 0, 1, 5, 1, 1, 1, 6, 1 }, packed, "step 0 of both windows, then step 1");
    }

    [TestMethod]
    public void TheLatestOriginsAreHeldOutAndTrainingTargetsEndBeforeThem()
    {
        // 10 rows, W 3, H 2: origins 3..8 have a whole horizon; a quarter (2) are held out: 7 and 8.
        var split = ForecastOrigins.Split(10, 3, 2, 2, 0.25f, "y");
        CollectionAssert.AreEqual(new[] { 7, 8 }, split.Validation);
        CollectionAssert.AreEqual(new[] { 3, 4, 5 }, split.Train, "origin 5's targets are rows 5 and 6, before row 7");
        Assert.AreEqual(7, split.ScalingRows);
        var recursive = ForecastOrigins.Split(10, 3, 2, 1, 0.25f, "y");
        CollectionAssert.AreEqual(new[] { 3, 4, 5, 6 }, recursive.Train, "one-step targets may reach row 6");
        var all = ForecastOrigins.Split(10, 3, 2, 2, 0f, "y");
        CollectionAssert.AreEqual(new[] { 3, 4, 5, 6, 7, 8 }, all.Train);
        Assert.IsEmpty(all.Validation);
    }

    [TestMethod]
    public void ASeriesShorterThanAWindowAndAHorizonIsRefused()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => ForecastOrigins.Split(13, 12, 2, 2, 0f, "Passengers"));
        StringAssert.Contains(e.Message, "'Passengers' has 13 rows");
        StringAssert.Contains(e.Message, "at least 14");
        var tooShortToHoldOut = Assert.ThrowsExactly<ArgumentException>(() => ForecastOrigins.Split(16, 12, 2, 2, 0.5f, "y"));
        StringAssert.Contains(tooShortToHoldOut.Message, "ValidationFraction");
    }
}
