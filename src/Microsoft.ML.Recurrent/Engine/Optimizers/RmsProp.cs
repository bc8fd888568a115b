using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Optimizers;

/// <summary>
/// RMSProp (<c>torch.optim.RMSprop</c>): <c>s = a*s + (1-a)*g^2</c>; <c>d = sqrt(s) + eps</c>
/// (centered: <c>sqrt(s - gavg^2) + eps</c>); with momentum <c>b = m*b + g/d; p -= lr*b</c>, else
/// <c>p -= lr*g/d</c>.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly float _alpha, _epsilon, _weightDecay, _momentum;
    private readonly bool _centered;

    /// <summary>Creates the optimizer.</summary>
    public RmsProp(IEnumerable<Parameter> parameters, float learningRate = 1e-2f, float alpha = 0.99f, float epsilon = 1e-8f,
        float weightDecay = 0f, float momentum = 0f, bool centered = false) : base(parameters, learningRate)
    {
        _alpha = InRange(alpha, 0f, 1f, nameof(alpha));
        _epsilon = InRange(epsilon, 0f, 1f, nameof(epsilon));
        _weightDecay = InRange(weightDecay, 0f, float.MaxValue, nameof(weightDecay));
        _momentum = InRange(momentum, 0f, 1f, nameof(momentum));
        _centered = centered;
    }

    /// <inheritdoc/>
    protected override int StateCount => 3;

    /// <inheritdoc/>
    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, float[][] state, int step)
    {
        float[] square = state[0], buffer = state[1], average = state[2];
        for (int i = 0; i < value.Length; i++)
        {
            float g = gradient[i] + _weightDecay * value[i];
            square[i] = _alpha * square[i] + (1f - _alpha) * g * g;
            float s = square[i];
            if (_centered)
            {
                average[i] = _alpha * average[i] + (1f - _alpha) * g;
                s -= average[i] * average[i];
            }
            float denominator = MathF.Sqrt(s) + _epsilon;
            if (_momentum > 0f)
            {
                buffer[i] = _momentum * buffer[i] + g / denominator;
                value[i] -= LearningRate * buffer[i];
            }
            else value[i] -= LearningRate * g / denominator;
        }
    }
}
