using Microsoft.ML.Recurrent.Engine.Memory;

namespace Microsoft.ML.Recurrent.Memory;

/// <summary>The stored patterns and the network built from them: a classic binary or a modern continuous Hopfield network.</summary>
internal sealed class HopfieldMemory
{
    private readonly HopfieldNetwork? _classic;
    private readonly ModernHopfieldNetwork? _modern;

    public HopfieldMemory(HopfieldMemoryOptions options, int size, IReadOnlyList<float[]> patterns)
    {
        if (patterns.Count == 0) throw new InvalidOperationException("The data holds no rows: an associative memory needs at least one pattern to store.");
        Options = options.Clone();
        Size = size;
        Patterns = patterns;
        if (options.Kind == HopfieldMemoryKind.Modern)
        {
            _modern = new ModernHopfieldNetwork([.. patterns.SelectMany(p => p)], size, options.Beta);
            return;
        }
        _classic = new HopfieldNetwork(size);
        foreach (float[] pattern in patterns) _classic.Store(pattern, options.LearningRule);
    }

    public HopfieldMemoryOptions Options { get; }

    public int Size { get; }

    /// <summary>The stored patterns (binarized for the classic network), in row order.</summary>
    public IReadOnlyList<float[]> Patterns { get; }

    /// <summary>Recalls from <paramref name="start"/> (row <paramref name="row"/> seeds the asynchronous order): the state reached, its energy, the iterations run and the stored pattern it equals (-1 for none).</summary>
    public (float[] Recalled, float Energy, int Iterations, int Matched) Recall(float[] start, long row)
    {
        float[] state = (float[])start.Clone();
        int iterations;
        double energy;
        if (_modern is not null)
        {
            iterations = _modern.Recall(state, Options.MaximumIterations);
            energy = _modern.Energy(state);
        }
        else
        {
            iterations = _classic!.Recall(state, Options.Update, Options.MaximumIterations, new Random(unchecked(Options.Seed + (int)row)));
            energy = _classic.Energy(state);
        }
        float tolerance = _modern is null ? 0f : 1e-3f;
        int matched = -1;
        for (int p = 0; p < Patterns.Count && matched < 0; p++)
            if (Enumerable.Range(0, Size).All(i => Math.Abs(Patterns[p][i] - state[i]) <= tolerance)) matched = p;
        return (state, (float)energy, iterations, matched);
    }
}
