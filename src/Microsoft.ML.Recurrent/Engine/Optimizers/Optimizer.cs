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

    /// <summary>The state buffers of each parameter in <see cref="Parameters"/> order (null before its first step), for checkpoints.</summary>
    internal float[][]?[] ExportState() => [.. Parameters.Select(p => _state.GetValueOrDefault(p))];

    /// <summary>Restores a checkpoint: the step count and the buffers from <see cref="ExportState"/>.</summary>
    internal void ImportState(int stepCount, float[][]?[] state)
    {
        if (state.Length != Parameters.Count) throw new ArgumentException($"{state.Length} state entries for {Parameters.Count} parameters.", nameof(state));
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        _state.Clear();
        for (int i = 0; i < state.Length; i++)
        {
            if (state[i] is not float[][] buffers) continue;
            if (buffers.Length != StateCount || buffers.Any(b => b.Length != Parameters[i].Size))
                throw new ArgumentException($"The state of '{Parameters[i].Name}' does not match its size or this optimizer.", nameof(state));
            _state[Parameters[i]] = buffers;
        }
        StepCount = stepCount;
    }

    /// <summary>Number of per-parameter state buffers (e.g. Adam's two moments).</summary>
    internal int StateBufferCount => StateCount;

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
