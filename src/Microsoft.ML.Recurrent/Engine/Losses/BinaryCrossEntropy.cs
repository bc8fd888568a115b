namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>Binary cross-entropy on logits (PyTorch <c>BCEWithLogitsLoss</c>, reduction mean), computed stably.</summary>
public static class BinaryCrossEntropy
{
    /// <summary>Returns mean(-y log σ(z) - (1-y) log(1-σ(z))) and writes dLoss/dz.</summary>
    /// <param name="logits">z, any shape.</param>
    /// <param name="targets">y in [0, 1], same length.</param>
    /// <param name="gradient">Receives dLoss/dz, same length (may be empty to skip).</param>
    public static double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        if (targets.Length != logits.Length) throw new ArgumentException($"targets hold {targets.Length} values for {logits.Length} logits.", nameof(targets));
        if (!gradient.IsEmpty && gradient.Length != logits.Length) throw new ArgumentException($"gradient holds {gradient.Length} values for {logits.Length} logits.", nameof(gradient));
        if (logits.IsEmpty) return 0;
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float y = targets[i];
            if (!(y >= 0f && y <= 1f)) throw new ArgumentException($"targets[{i}] is {y}; binary targets must lie in [0, 1].", nameof(targets));
            double z = logits[i];
            // log(1 + e^-|z|) + max(z, 0) - y z
            sum += Math.Log(1 + Math.Exp(-Math.Abs(z))) + Math.Max(z, 0) - y * z;
            if (!gradient.IsEmpty) gradient[i] = (float)((Sigmoid(z) - y) / logits.Length);
        }
        return sum / logits.Length;
    }

    /// <summary>σ(z) = 1 / (1 + e^-z), without overflow.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
