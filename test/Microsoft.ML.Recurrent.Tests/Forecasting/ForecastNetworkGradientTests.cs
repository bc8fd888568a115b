using Microsoft.ML.Recurrent.Forecasting;
using Microsoft.ML.Recurrent.Tests.Engine;

namespace Microsoft.ML.Recurrent.Tests.Forecasting;

/// <summary>The forecaster's network and loss against finite differences, in both head modes.</summary>
[TestClass]
public sealed class ForecastNetworkGradientTests
{
    [TestMethod]
    [DataRow(1, false, ForecastIntervalMethod.Residual, DisplayName = "last state, point forecasts")]
    [DataRow(1, true, ForecastIntervalMethod.Quantile, DisplayName = "last state, quantiles, linear part")]
    [DataRow(2, true, ForecastIntervalMethod.Quantile, DisplayName = "one forecast per future step, quantiles, linear part")]
    [DataRow(2, false, ForecastIntervalMethod.Residual, DisplayName = "one forecast per future step")]
    public void GradientsMatchFiniteDifferences(int knownCount, bool linear, ForecastIntervalMethod intervals)
    {
        var random = new Random(3);
        const int n = 40, window = 5, horizon = 3;
        int known = knownCount - 1;   // 0 or 1 known covariate; one past covariate always
        float[][] scaled = [.. Enumerable.Range(0, 2 + known).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())];
        var frames = new ForecastFrames(window, horizon, PastCount: 1, KnownCount: known, ForecastNormalization.LastValue);
        int outputs = horizon * (intervals == ForecastIntervalMethod.Quantile ? 3 : 1);
        var architecture = new ForecastArchitecture(CellType.Gru, frames.FrameSize, 4, 2, 0f, outputs, frames.Steps > window ? horizon : 1, window, linear);
        var network = new ForecastNetwork(architecture, new Random(5));
        if (network.Linear is not null) for (int i = 0; i < network.Linear.Weight.Size; i++) network.Linear.Weight.Value[i] = (float)(random.NextDouble() - 0.5);
        var model = new ForecastTrainingModel(network, frames, scaled, intervals, 0.8f);
        int[] batch = [5, 9, 17, 30];
        foreach (var p in model.Parameters) p.ZeroGradient();
        model.TrainBatch(batch, new Random(1));
        double Loss() => model.Evaluate([batch]).Loss;
        foreach (var p in model.Parameters)
            FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss, samples: 10, eps: 1e-3f);
        Assert.AreEqual(frames.Steps > window ? horizon : 1, architecture.ReadSteps);
    }
}
