using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Training;

/// <summary>Gradient clipping as in <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>.</summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all gradients together, accumulated in float64.</summary>
    public static double GlobalNorm(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        foreach (Parameter p in parameters)
            foreach (float g in p.Gradient) sum += (double)g * g;
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Scales all gradients by <c>min(1, maxNorm / (norm + 1e-6))</c> and returns the norm before
    /// clipping. A non-finite norm is returned unchanged and nothing is scaled, so callers can detect
    /// divergence.
    /// </summary>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be > 0.");
        double norm = GlobalNorm(parameters);
        if (!double.IsFinite(norm)) return norm;
        double scale = maxNorm / (norm + 1e-6);
        if (scale < 1)
            foreach (Parameter p in parameters)
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Gradient, (float)scale, p.Gradient);
        return norm;
    }

    /// <summary>Clamps every gradient element into [-<paramref name="maxValue"/>, <paramref name="maxValue"/>].</summary>
    public static void ClipByValue(IEnumerable<Parameter> parameters, float maxValue)
    {
        if (!(maxValue > 0)) throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "maxValue must be > 0.");
        foreach (Parameter p in parameters)
            System.Numerics.Tensors.TensorPrimitives.Clamp(p.Gradient, -maxValue, maxValue, p.Gradient);
    }
}
