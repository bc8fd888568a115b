using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Optimizers;

/// <summary>
/// Adagrad (<c>torch.optim.Adagrad</c>): <c>lr_t = lr / (1 + (t-1)*lr_decay)</c>;
/// <c>s += g^2; p -= lr_t * g / (sqrt(s) + eps)</c>.
/// </summary>
public sealed class Adagrad : Optimizer
{
    private readonly float _learningRateDecay, _weightDecay, _initialAccumulator, _epsilon;

    /// <summary>Creates the optimizer.</summary>
    public Adagrad(IEnumerable<Parameter> parameters, float learningRate = 1e-2f, float learningRateDecay = 0f,
        float weightDecay = 0f, float initialAccumulator = 0f, float epsilon = 1e-10f) : base(parameters, learningRate)
    {
        _learningRateDecay = InRange(learningRateDecay, 0f, float.MaxValue, nameof(learningRateDecay));
        _weightDecay = InRange(weightDecay, 0f, float.MaxValue, nameof(weightDecay));
        _initialAccumulator = InRange(initialAccumulator, 0f, float.MaxValue, nameof(initialAccumulator));
        _epsilon = InRange(epsilon, 0f, 1f, nameof(epsilon));
    }

    /// <inheritdoc/>
    protected override int StateCount => 1;

    /// <inheritdoc/>
    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, float[][] state, int step)
    {
        float[] sum = state[0];
        float lr = LearningRate / (1f + (step - 1) * _learningRateDecay);
        for (int i = 0; i < value.Length; i++)
        {
            float g = gradient[i] + _weightDecay * value[i];
            if (step == 1) sum[i] = _initialAccumulator;
            sum[i] += g * g;
            value[i] -= lr * g / (MathF.Sqrt(sum[i]) + _epsilon);
        }
    }
}
