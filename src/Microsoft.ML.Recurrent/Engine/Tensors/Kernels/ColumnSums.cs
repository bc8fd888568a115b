using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>
/// sums[j] += sum over rows i of A[i, j] (bias gradients over all steps). Large inputs split by column ranges over
/// the worker pool; every column is still summed in row order, so the result does not depend on the thread count.
/// </summary>
internal sealed unsafe class ColumnSums : IParallelWork
{
    /// <summary>Inputs from this many floats split over threads (one pass reads them once, memory-bound).</summary>
    private const long ParallelFloats = 1 << 18;

    /// <summary>Column ranges are whole cache lines.</summary>
    private const int Grain = 16;

    [ThreadStatic] private static ColumnSums? t_work;
    private float* _a, _sums;
    private int _m, _n, _lda, _parts;

    /// <summary>Adds the column sums of A [m, n] (row stride lda) to sums [n].</summary>
    public static void Add(int m, int n, float* a, int lda, float* sums)
    {
        int grains = (n + Grain - 1) / Grain;
        int parts = (long)m * n < ParallelFloats ? 1 : Math.Min(WorkerPool.Parallelism, grains);
        ColumnSums work = t_work ??= new ColumnSums();
        work._a = a;
        work._sums = sums;
        (work._m, work._n, work._lda, work._parts) = (m, n, lda, parts);
        WorkerPool.Run(parts, work);
    }

    public void Execute(int part)
    {
        int grains = (_n + Grain - 1) / Grain;
        int first = Math.Min(_n, grains * part / _parts * Grain), last = Math.Min(_n, grains * (part + 1) / _parts * Grain);
        if (last <= first) return;
        var sums = new Span<float>(_sums + first, last - first);
        for (int i = 0; i < _m; i++) TensorPrimitives.Add(sums, new ReadOnlySpan<float>(_a + (long)i * _lda + first, last - first), sums);
    }
}
