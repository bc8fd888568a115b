using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Optimizers;

/// <summary>
/// Updates parameters from their accumulated gradients with PyTorch's semantics
/// (<c>torch.optim</c>). State (moments, accumulators) is kept per parameter, created on the first step.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, float[][]> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer for <paramref name="parameters"/>.</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0f) || !float.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a finite number >= 0.");
        Parameters = parameters.ToArray();
        LearningRate = learningRate;
    }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate; schedules may change it between steps.</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of steps taken so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    public void Step()
    {
        StepCount++;
        foreach (Parameter p in Parameters)
        {
            if (!_state.TryGetValue(p, out float[][]? state))
            {
                state = new float[StateCount][];
                for (int i = 0; i < state.Length; i++) state[i] = new float[p.Size];
                _state[p] = state;
            }
            Update(p.Value, p.Gradient, state, StepCount);
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter p in Parameters) p.ZeroGradient();
    }

    /// <summary>Number of per-parameter state buffers (e.g. Adam's two moments).</summary>
    protected abstract int StateCount { get; }

    /// <summary>Updates one parameter. <paramref name="step"/> counts from 1.</summary>
    protected abstract void Update(Span<float> value, ReadOnlySpan<float> gradient, float[][] state, int step);

    /// <summary>Checks that a hyperparameter lies in [min, max].</summary>
    protected static float InRange(float value, float min, float max, string name)
    {
        if (!(value >= min && value <= max)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}].");
        return value;
    }
}
