namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>Mean squared error over all elements (PyTorch <c>MSELoss</c>, reduction mean).</summary>
public static class MeanSquaredError
{
    /// <summary>Returns mean((y - target)^2) and writes its gradient with respect to y.</summary>
    /// <param name="predictions">y, any shape.</param>
    /// <param name="targets">Targets, same length; must be finite.</param>
    /// <param name="gradient">Receives dLoss/dy, same length (may be empty to skip).</param>
    public static double Compute(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        if (targets.Length != predictions.Length) throw new ArgumentException($"targets hold {targets.Length} values for {predictions.Length} predictions.", nameof(targets));
        if (!gradient.IsEmpty && gradient.Length != predictions.Length) throw new ArgumentException($"gradient holds {gradient.Length} values for {predictions.Length} predictions.", nameof(gradient));
        if (predictions.IsEmpty) return 0;
        double sum = 0;
        float scale = 2f / predictions.Length;
        for (int i = 0; i < predictions.Length; i++)
        {
            if (!float.IsFinite(targets[i])) throw new ArgumentException($"targets[{i}] is {targets[i]}; targets must be finite.", nameof(targets));
            double d = predictions[i] - targets[i];
            sum += d * d;
            if (!gradient.IsEmpty) gradient[i] = scale * (float)d;
        }
        return sum / predictions.Length;
    }
}
