using System.Numerics.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>The clipped ReLU of Deep Speech 2: y = min(max(x, 0), ceiling), with gradient 1 strictly inside (0, ceiling) and 0 elsewhere.</summary>
public static class ClippedRelu
{
    /// <summary>Deep Speech 2's ceiling.</summary>
    public const float DefaultCeiling = 20f;

    /// <summary>y = min(max(x, 0), ceiling) (may alias).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float ceiling = DefaultCeiling)
    {
        TensorPrimitives.Max(x, 0f, y);
        TensorPrimitives.Min(y, ceiling, y);
    }

    /// <summary>dx = dy where 0 &lt; x &lt; ceiling, else 0 (<paramref name="dx"/> may alias <paramref name="dy"/>).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float ceiling = DefaultCeiling)
    {
        if (x.Length != dy.Length || dx.Length != dy.Length) throw new ArgumentException($"x, dy and dx must have one length; they have {x.Length}, {dy.Length} and {dx.Length}.");
        for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 && x[i] < ceiling ? dy[i] : 0f;
    }
}
