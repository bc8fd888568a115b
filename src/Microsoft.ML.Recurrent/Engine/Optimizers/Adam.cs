using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Optimizers;

/// <summary>
/// Adam (<c>torch.optim.Adam</c>) and, with <c>decoupledWeightDecay</c>, AdamW
/// (<c>torch.optim.AdamW</c>): <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
/// p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)</c>. Adam adds <c>wd*p</c> to the gradient;
/// AdamW first scales <c>p *= 1 - lr*wd</c>.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly float _beta1, _beta2, _epsilon, _weightDecay;
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Parameters to update.</param>
    /// <param name="learningRate">Step size (PyTorch default 1e-3).</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="epsilon">Denominator guard.</param>
    /// <param name="weightDecay">L2 penalty (Adam) or decoupled decay (AdamW).</param>
    /// <param name="decoupledWeightDecay">True for AdamW.</param>
    public Adam(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0f, bool decoupledWeightDecay = false) : base(parameters, learningRate)
    {
        _beta1 = InRange(beta1, 0f, 0.999999f, nameof(beta1));
        _beta2 = InRange(beta2, 0f, 0.99999999f, nameof(beta2));
        _epsilon = InRange(epsilon, 0f, 1f, nameof(epsilon));
        _weightDecay = InRange(weightDecay, 0f, float.MaxValue, nameof(weightDecay));
        _decoupled = decoupledWeightDecay;
    }

    /// <summary>Creates AdamW with PyTorch's default weight decay 0.01.</summary>
    public static Adam AdamW(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float weightDecay = 0.01f,
        float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f) =>
        new(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true);

    /// <inheritdoc/>
    protected override int StateCount => 2;

    /// <inheritdoc/>
    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, float[][] state, int step)
    {
        float[] m = state[0], v = state[1];
        double bc1 = 1 - Math.Pow(_beta1, step), bc2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, step));
        float stepSize = (float)(LearningRate / bc1), invBc2Sqrt = (float)(1 / bc2Sqrt);
        float decay = _decoupled ? 1f - LearningRate * _weightDecay : 1f;
        float b1 = _beta1, b2 = _beta2, c1 = 1f - _beta1, c2 = 1f - _beta2, wd = _weightDecay, eps = _epsilon;
        int i = 0;
        // The vector loop does the scalar loop's operations in the same order (no fused multiply-add), so both give the same bits.
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<float>> vp = MemoryMarshal.Cast<float, Vector<float>>(value), vm = MemoryMarshal.Cast<float, Vector<float>>(m.AsSpan(0, value.Length));
            Span<Vector<float>> vv = MemoryMarshal.Cast<float, Vector<float>>(v.AsSpan(0, value.Length));
            ReadOnlySpan<Vector<float>> vg = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            for (int j = 0; j < vp.Length; j++)
            {
                Vector<float> g = vg[j], p = vp[j];
                if (_decoupled) p *= decay;
                else g += wd * p;
                Vector<float> mj = b1 * vm[j] + c1 * g, vj = b2 * vv[j] + c2 * g * g;
                vm[j] = mj;
                vv[j] = vj;
                vp[j] = p - stepSize * mj / (Vector.SquareRoot(vj) * invBc2Sqrt + new Vector<float>(eps));
            }
            i = vp.Length * Vector<float>.Count;
        }
        for (; i < value.Length; i++)
        {
            float g = gradient[i];
            if (_decoupled) value[i] *= decay;
            else g += wd * value[i];
            m[i] = b1 * m[i] + c1 * g;
            v[i] = b2 * v[i] + c2 * g * g;
            value[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * invBc2Sqrt + eps);
        }
    }
}
