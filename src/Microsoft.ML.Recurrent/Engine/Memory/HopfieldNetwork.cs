namespace Microsoft.ML.Recurrent.Engine.Memory;

/// <summary>
/// A classic binary Hopfield network of N neurons with states +-1: symmetric weights with a zero diagonal learned
/// from the stored patterns, recall by s_i = sign(sum_j W_ij s_j) (a neuron whose field is 0 keeps its state),
/// energy E(s) = -1/2 s^T W s.
/// </summary>
public sealed class HopfieldNetwork
{
    private readonly float[] _weights;

    /// <summary>Creates a network of <paramref name="size"/> neurons with no stored pattern.</summary>
    public HopfieldNetwork(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        Size = size;
        _weights = new float[(long)size * size];
    }

    /// <summary>N.</summary>
    public int Size { get; }

    /// <summary>The weights [N, N], row-major (symmetric, zero diagonal).</summary>
    public float[] Weights => _weights;

    /// <summary>Adds <paramref name="pattern"/> (N values of +-1) to the weights by <paramref name="rule"/>.</summary>
    public void Store(ReadOnlySpan<float> pattern, HopfieldLearningRule rule)
    {
        CheckPattern(pattern, nameof(pattern));
        int n = Size;
        float scale = 1f / n;
        if (rule == HopfieldLearningRule.Hebbian)
        {
            for (int i = 0; i < n; i++)
            {
                Span<float> row = _weights.AsSpan(i * n, n);
                float xi = pattern[i] * scale;
                for (int j = 0; j < n; j++) if (j != i) row[j] += xi * pattern[j];
            }
            return;
        }
        // Storkey: h_ij = sum_{k != i, j} W_ik x_k = h_i - W_ij x_j (the diagonal is zero); all from the weights before this pattern.
        float[] h = new float[n];
        for (int i = 0; i < n; i++) h[i] = System.Numerics.Tensors.TensorPrimitives.Dot(_weights.AsSpan(i * n, n), pattern);
        float[] before = (float[])_weights.Clone();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                float hij = h[i] - before[i * n + j] * pattern[j], hji = h[j] - before[j * n + i] * pattern[i];
                _weights[i * n + j] += scale * (pattern[i] * pattern[j] - pattern[i] * hji - hij * pattern[j]);
            }
    }

    /// <summary>E(s) = -1/2 s^T W s.</summary>
    public double Energy(ReadOnlySpan<float> state)
    {
        CheckLength(state, nameof(state));
        double e = 0;
        for (int i = 0; i < Size; i++) e += state[i] * (double)System.Numerics.Tensors.TensorPrimitives.Dot(_weights.AsSpan(i * Size, Size), state);
        return -0.5 * e;
    }

    /// <summary>
    /// Runs <paramref name="state"/> (N values of +-1, updated in place) until no neuron changes in a whole sweep
    /// (or, synchronously, the state repeats one of the last two) or <paramref name="maxSweeps"/> sweeps; returns the sweeps run.
    /// </summary>
    public int Recall(Span<float> state, HopfieldUpdate update, int maxSweeps, Random random)
    {
        CheckPattern(state, nameof(state));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSweeps, 1);
        ArgumentNullException.ThrowIfNull(random);
        int n = Size;
        if (update == HopfieldUpdate.Asynchronous)
        {
            int[] order = [.. Enumerable.Range(0, n)];
            for (int sweep = 1; sweep <= maxSweeps; sweep++)
            {
                random.Shuffle(order);
                bool changed = false;
                foreach (int i in order)
                {
                    float field = System.Numerics.Tensors.TensorPrimitives.Dot(_weights.AsSpan(i * n, n), state);
                    float next = field > 0 ? 1f : field < 0 ? -1f : state[i];
                    if (next != state[i]) { state[i] = next; changed = true; }
                }
                if (!changed) return sweep;
            }
            return maxSweeps;
        }
        float[] previous = state.ToArray(), fields = new float[n];
        float[]? twoBack = null;
        for (int sweep = 1; sweep <= maxSweeps; sweep++)
        {
            for (int i = 0; i < n; i++) fields[i] = System.Numerics.Tensors.TensorPrimitives.Dot(_weights.AsSpan(i * n, n), previous);
            for (int i = 0; i < n; i++) state[i] = fields[i] > 0 ? 1f : fields[i] < 0 ? -1f : previous[i];
            if (state.SequenceEqual(previous) || (twoBack is not null && state.SequenceEqual(twoBack))) return sweep;
            twoBack = previous;
            previous = state.ToArray();
        }
        return maxSweeps;
    }

    private void CheckLength(ReadOnlySpan<float> values, string name)
    {
        if (values.Length != Size) throw new ArgumentException($"{name} holds {values.Length} values; the network has {Size} neurons.", name);
    }

    private void CheckPattern(ReadOnlySpan<float> values, string name)
    {
        CheckLength(values, name);
        for (int i = 0; i < values.Length; i++)
            if (values[i] is not (1f or -1f)) throw new ArgumentException($"{name}[{i}] = {values[i]}; a binary Hopfield network's states are +1 or -1.", name);
    }
}
