using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay
/// (<c>torch.optim.SGD</c>): <c>g += wd*p; b = m*b + (1-dampening)*g</c> (b = g on the first step);
/// <c>g = nesterov ? g + m*b : b; p -= lr*g</c>.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float _momentum, _dampening, _weightDecay;
    private readonly bool _nesterov;

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Parameter> parameters, float learningRate, float momentum = 0f, bool nesterov = false,
        float weightDecay = 0f, float dampening = 0f) : base(parameters, learningRate)
    {
        _momentum = InRange(momentum, 0f, 1f, nameof(momentum));
        _dampening = InRange(dampening, 0f, 1f, nameof(dampening));
        _weightDecay = InRange(weightDecay, 0f, float.MaxValue, nameof(weightDecay));
        if (nesterov && (momentum <= 0f || dampening != 0f))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and zero dampening.", nameof(nesterov));
        _nesterov = nesterov;
    }

    /// <inheritdoc/>
    protected override int StateCount => _momentum > 0f ? 1 : 0;

    /// <inheritdoc/>
    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, float[][] state, int step)
    {
        float lr = LearningRate;
        for (int i = 0; i < value.Length; i++)
        {
            float g = gradient[i] + _weightDecay * value[i];
            if (_momentum > 0f)
            {
                float[] buf = state[0];
                buf[i] = step == 1 ? g : _momentum * buf[i] + (1f - _dampening) * g;
                g = _nesterov ? g + _momentum * buf[i] : buf[i];
            }
            value[i] -= lr * g;
        }
    }
}
