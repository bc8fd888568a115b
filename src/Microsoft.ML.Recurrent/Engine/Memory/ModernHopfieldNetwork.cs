using System.Numerics.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Memory;

/// <summary>
/// The modern continuous Hopfield network (Ramsauer et al. 2020, "Hopfield Networks is All You Need"): stored
/// patterns X [P, N] (real), retrieval xi &lt;- X^T softmax(beta X xi), energy
/// E(xi) = -lse(beta, X xi) + 1/2 xi^T xi + log(P) / beta + 1/2 M^2 with M the largest pattern norm. Its capacity
/// grows exponentially with N; one update usually lands on the stored pattern.
/// </summary>
public sealed class ModernHopfieldNetwork
{
    private readonly float[] _patterns;
    private readonly double _largestNormSquared;

    /// <summary>Stores <paramref name="patterns"/> [P, N] (row-major) with inverse temperature <paramref name="beta"/>.</summary>
    public ModernHopfieldNetwork(ReadOnlySpan<float> patterns, int size, float beta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (patterns.Length == 0 || patterns.Length % size != 0) throw new ArgumentException($"patterns hold {patterns.Length} values, not a positive multiple of N={size}.", nameof(patterns));
        if (!(beta > 0) || !float.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be a finite number > 0.");
        Size = size;
        Beta = beta;
        _patterns = patterns.ToArray();
        Count = _patterns.Length / size;
        for (int p = 0; p < Count; p++) _largestNormSquared = Math.Max(_largestNormSquared, TensorPrimitives.Dot(Pattern(p), Pattern(p)));
    }

    /// <summary>N.</summary>
    public int Size { get; }

    /// <summary>P, the stored patterns.</summary>
    public int Count { get; }

    /// <summary>beta, the inverse temperature (larger: sharper retrieval).</summary>
    public float Beta { get; }

    /// <summary>Stored pattern <paramref name="p"/>.</summary>
    public ReadOnlySpan<float> Pattern(int p) => _patterns.AsSpan(p * Size, Size);

    /// <summary>The stored patterns [P, N].</summary>
    public ReadOnlySpan<float> Patterns => _patterns;

    /// <summary>E(xi) = -lse(beta, X xi) + 1/2 xi^T xi + log(P)/beta + 1/2 M^2.</summary>
    public double Energy(ReadOnlySpan<float> state)
    {
        Check(state);
        double[] scores = new double[Count];
        for (int p = 0; p < Count; p++) scores[p] = Beta * (double)TensorPrimitives.Dot(Pattern(p), state);
        double lse = Losses.LogSpace.Sum(scores) / Beta;
        return -lse + 0.5 * TensorPrimitives.Dot(state, state) + Math.Log(Count) / Beta + 0.5 * _largestNormSquared;
    }

    /// <summary>Applies xi &lt;- X^T softmax(beta X xi) to <paramref name="state"/> until it moves less than 1e-6 (max norm) or <paramref name="maxSteps"/> steps; returns the steps run.</summary>
    public int Recall(Span<float> state, int maxSteps)
    {
        Check(state);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        float[] weights = new float[Count], next = new float[Size];
        for (int step = 1; step <= maxSteps; step++)
        {
            for (int p = 0; p < Count; p++) weights[p] = Beta * TensorPrimitives.Dot(Pattern(p), state);
            TensorPrimitives.Subtract(weights, TensorPrimitives.Max(weights), weights);
            TensorPrimitives.SoftMax(weights, weights);
            Array.Clear(next);
            for (int p = 0; p < Count; p++) TensorPrimitives.MultiplyAdd(Pattern(p), weights[p], next, next);
            float moved = 0;
            for (int i = 0; i < Size; i++) moved = Math.Max(moved, Math.Abs(next[i] - state[i]));
            next.CopyTo(state);
            if (moved < 1e-6f) return step;
        }
        return maxSteps;
    }

    private void Check(ReadOnlySpan<float> state)
    {
        if (state.Length != Size) throw new ArgumentException($"The state holds {state.Length} values; the network has {Size}.", nameof(state));
    }
}
