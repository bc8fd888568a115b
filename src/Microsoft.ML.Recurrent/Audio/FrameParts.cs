using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// Splits an utterance's frames into contiguous ranges for the engine's workers (<see cref="WorkerPool.Parallelism"/>
/// threads, at least 32 frames a part). Each frame is computed alone, so the features do not depend on the thread count.
/// </summary>
internal sealed class FrameParts : IParallelWork
{
    private const int MinimumFrames = 32;
    private readonly int _frames, _parts;
    private readonly Action<int, int> _range;

    private FrameParts(int frames, int parts, Action<int, int> range) => (_frames, _parts, _range) = (frames, parts, range);

    /// <summary>Calls <paramref name="range"/>(first, end) over ranges covering frames 0..<paramref name="frames"/>-1, in parallel when it pays.</summary>
    public static void Run(int frames, Action<int, int> range)
    {
        int parts = Math.Min(WorkerPool.Parallelism, Math.Max(1, frames / MinimumFrames));
        if (parts <= 1) range(0, frames);
        else WorkerPool.Run(parts, new FrameParts(frames, parts, range));
    }

    /// <inheritdoc/>
    public void Execute(int part) => _range((int)((long)part * _frames / _parts), (int)((long)(part + 1) * _frames / _parts));
}
