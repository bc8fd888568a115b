namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>The pinball (quantile) loss, whose minimizer over a distribution is its <c>tau</c>-quantile.</summary>
public static class PinballLoss
{
    /// <summary>max(tau (y - q), (tau - 1)(y - q)) for prediction q of target y, and its derivative with respect to q.</summary>
    /// <param name="prediction">q.</param>
    /// <param name="target">y.</param>
    /// <param name="tau">The quantile, in (0, 1).</param>
    /// <param name="gradient">dLoss/dq: -tau when y &gt; q, 1 - tau otherwise.</param>
    public static double Compute(float prediction, float target, float tau, out float gradient)
    {
        float e = target - prediction;
        if (e > 0)
        {
            gradient = -tau;
            return tau * (double)e;
        }
        gradient = 1 - tau;
        return (tau - 1) * (double)e;
    }
}
