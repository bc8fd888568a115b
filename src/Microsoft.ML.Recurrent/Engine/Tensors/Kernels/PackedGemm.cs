using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Recurrent.Engine.Threading;
using static Microsoft.ML.Recurrent.Engine.Tensors.Kernels.MicroKernel;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>
/// Cache-blocked SGEMM (Goto/BLIS scheme): B is packed into NR-wide strips (or given pre-packed),
/// blocks of A into MR-high strips, and <see cref="MicroKernel"/> computes MR x NR tiles. Work is split
/// over the worker pool by column strips (or by rows for narrow products); every element of C is
/// summed by one thread in the same order, so results do not depend on the thread count.
/// </summary>
internal static unsafe class PackedGemm
{
    /// <summary>Depth of a packed block (rows of B, columns of A).</summary>
    public const int KC = 256;

    /// <summary>
    /// How many columns ahead <see cref="PackTransposedA"/> requests the lines it will read: its columns lie a whole
    /// stride apart (4 KB for an LSTM's gate gradients, so each on a new page), where hardware prefetchers do not follow.
    /// Two weight-gradient products: 40.4 -> 39.4 ms at 1 thread, 24.1 -> 21.7 ms at 2 (medians, alternating in one process).
    /// </summary>
    private const int PrefetchColumns = 8;

    /// <summary>Rows of A packed at a time.</summary>
    public const int MC = 16 * MR;

    /// <summary>
    /// Products below this many flops run on one thread: a hand-off costs a few microseconds, and 2 MFLOP take
    /// about 25 us on one core (a batch-1 input projection of workload D, 3.3 MFLOP, gains from the split).
    /// </summary>
    public const double ParallelFlops = 2e6;

    /// <summary>Floats after the packed A block that the wide packing paths may write.</summary>
    private const int PackSlack = 8;

    [ThreadStatic] private static PackedMatrix? t_packedB;
    [ThreadStatic] private static AlignedBuffer? t_packedA;
    [ThreadStatic] private static Work? t_work;

    /// <summary>C[m, n] (+)= A[m, k] * B[k, n] (+ bias[n] on every row, when bias is not null) for strided operands.</summary>
    public static void Multiply(int m, int n, int k, MatrixOperand a, MatrixOperand b, float* c, int ldc, bool accumulate, float* bias = null)
    {
        if (m == 0 || n == 0) return;
        PackedMatrix packed = t_packedB ??= new PackedMatrix();
        packed.Pack(k, n, b);
        Multiply(m, a, packed, c, ldc, accumulate, bias);
    }

    /// <summary>C[m, n] (+)= A[m, k] * B (+ bias[n] on every row, when bias is not null) with B pre-packed ([k, n]).</summary>
    public static void Multiply(int m, MatrixOperand a, PackedMatrix b, float* c, int ldc, bool accumulate, float* bias = null)
    {
        int n = b.Columns, k = b.Rows;
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (long)i * ldc, n);
                if (!accumulate) row.Clear();
                if (bias != null) System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>(bias, n), row);
            }
            return;
        }
        Work work = t_work ??= new Work();
        work.Set(m, a, b, c, ldc, accumulate, bias);
        int threads = 2.0 * m * n * k < ParallelFlops ? 1 : WorkerPool.Parallelism;
        int rowStrips = (m + MR - 1) / MR;
        // Split the longer side, so each thread packs (and reads) as little of the other operand as possible.
        bool rowsOk = rowStrips >= 2 * threads, columnsOk = b.Strips >= 2 * threads;
        if (threads > 1 && rowsOk && (m >= n || !columnsOk)) work.SplitRows(threads);
        else if (threads > 1 && columnsOk) work.SplitColumns(threads);
        else work.SplitColumns(1);
        WorkerPool.Run(work.Parts, work);
    }

    /// <summary>
    /// On the calling thread, C (+)= A * B for the column strips [first, last) + g * period of a pre-packed B,
    /// for g &lt; groups (e.g. the same units of every gate block).
    /// </summary>
    public static void MultiplyStripGroups(int m, MatrixOperand a, PackedMatrix b, float* c, int ldc, bool accumulate, int first, int last, int period, int groups)
    {
        if (m == 0 || last <= first || b.Rows == 0) return;
        if ((long)(groups - 1) * period + last > b.Strips) throw new ArgumentOutOfRangeException(nameof(groups), $"Strip groups reach past the {b.Strips} strips of B.");
        Compute(0, m, first, last, a, b, c, ldc, accumulate, null, period, groups);
    }

    /// <summary>Computes rows [m0, m1) and column strips [s0, s1) + g * period (g &lt; groups) of the product.</summary>
    private static void Compute(int m0, int m1, int s0, int s1, MatrixOperand a, PackedMatrix b, float* c, int ldc, bool accumulate, float* bias, int period = 0, int groups = 1)
    {
        int k = b.Rows, n = b.Columns;
        AlignedBuffer buffer = t_packedA ??= new AlignedBuffer();
        buffer.Reserve(MC * KC + PackSlack);
        float* edgeBias = stackalloc float[4 * NR];
        float* packedA = buffer.Pointer;
        for (int pc = 0; pc < k; pc += KC)
        {
            int kb = Math.Min(KC, k - pc);
            bool add = accumulate || pc > 0;
            for (int ic = m0; ic < m1; ic += MC)
            {
                int mb = Math.Min(MC, m1 - ic);
                PackA(a, ic, mb, pc, kb, packedA);
                // A last tile of at most PairRows rows runs over two strips at a time (see MicroKernel.RunPair).
                int tail = mb % MR, paired = tail is > 0 and <= PairRows ? mb - tail : mb;
                for (int g = 0; g < groups; g++)
                {
                    int first = s0 + g * period, end = s1 + g * period;
                    if (MicroKernel.Wide)
                    {
                        // 512-bit vectors: every tile runs over a pair of strips (same bits as the 6 x 16 kernel), a last
                        // tile of at most PairRows rows over two pairs.
                        for (int s = first; s < end; s += 2)
                        {
                            bool pair = s + 1 < end;
                            int pairCols = Math.Min(pair ? 2 * NR : NR, n - s * NR);
                            float* pairBias = StripBias(bias, pc, s, pairCols, edgeBias);
                            float* strip = b.Strip(pc, s), next = pair ? b.Strip(pc, s + 1) : null;
                            for (int ir = 0; ir < paired; ir += MR)
                                MicroKernel.RunWide(kb, packedA + ir * kb, strip, next, c + (long)(ic + ir) * ldc + s * NR, ldc, Math.Min(MR, mb - ir), pairCols, add, pairBias);
                            if (paired < mb && (s - first) % 4 == 0)
                            {
                                bool quad = s + 2 < end;
                                int tailCols = quad ? Math.Min(4 * NR, n - s * NR) : pairCols;
                                float* third = quad ? b.Strip(pc, s + 2) : null, fourth = s + 3 < end ? b.Strip(pc, s + 3) : null;
                                MicroKernel.RunWideQuad(kb, packedA + paired * kb, strip, next, third, fourth, c + (long)(ic + paired) * ldc + s * NR, ldc,
                                    tail, tailCols, add, StripBias(bias, pc, s, tailCols, edgeBias));
                            }
                        }
                        continue;
                    }
                    for (int s = first; s < end; s++)
                    {
                        float* strip = b.Strip(pc, s);
                        int cols = Math.Min(NR, n - s * NR);
                        float* stripBias = StripBias(bias, pc, s, cols, edgeBias);
                        for (int ir = 0; ir < paired; ir += MR)
                            MicroKernel.Run(kb, packedA + ir * kb, strip, c + (long)(ic + ir) * ldc + s * NR, ldc, Math.Min(MR, mb - ir), cols, add, stripBias);
                        if (paired < mb && (s - first) % 2 == 0)
                        {
                            bool pair = s + 1 < end;
                            int pairCols = pair ? Math.Min(2 * NR, n - s * NR) : cols;
                            MicroKernel.RunPair(kb, packedA + paired * kb, strip, pair ? b.Strip(pc, s + 1) : null, c + (long)(ic + paired) * ldc + s * NR, ldc,
                                tail, pairCols, add, StripBias(bias, pc, s, pairCols, edgeBias));
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The bias of <paramref name="cols"/> columns from strip <paramref name="strip"/> on: null after the first k block (it
    /// enters once) or without a bias; zero-padded to whole strips (in <paramref name="padded"/>) when the columns end short of one.
    /// </summary>
    private static float* StripBias(float* bias, int pc, int strip, int cols, float* padded)
    {
        if (pc > 0 || bias == null) return null;
        if (cols % NR == 0) return bias + strip * NR;
        int width = (cols + NR - 1) / NR * NR;
        for (int j = 0; j < width; j++) padded[j] = j < cols ? bias[strip * NR + j] : 0f;
        return padded;
    }

    /// <summary>Packs A[i0 .. i0+mb, p0 .. p0+kb] into MR-high strips (zero-padded), strip r at r*kb*MR.</summary>
    private static void PackA(MatrixOperand a, int i0, int mb, int p0, int kb, float* dest)
    {
        if (a.RowStride == 1 && a.ColumnStride != 1)
        {
            PackTransposedA(a, i0, mb, p0, kb, dest);
            return;
        }
        for (int ir = 0; ir < mb; ir += MR)
        {
            int rows = Math.Min(MR, mb - ir);
            float* strip = dest + ir * kb;
            // A whole strip of a row-major A: 8 x 8 transposes that may write 2 floats past the strip, which the next strip (or the buffer's slack) absorbs.
            if (a.ColumnStride == 1 && rows == MR)
            {
                Transpose.SixRows(a.Data + (long)(i0 + ir) * a.RowStride + p0, a.RowStride, kb, strip);
                continue;
            }
            for (int p = 0; p < kb; p++)
            {
                float* source = a.Data + (long)(p0 + p) * a.ColumnStride + (long)(i0 + ir) * a.RowStride;
                for (int r = 0; r < rows; r++) strip[p * MR + r] = source[r * a.RowStride];
            }
            for (int r = rows; r < MR; r++)
                for (int p = 0; p < kb; p++) strip[p * MR + r] = 0f;
        }
    }

    /// <summary>
    /// PackA for a transposed A (its columns contiguous, e.g. the TN products of weight gradients): one column of
    /// the block at a time, read as one run and dealt out to every strip, so the large column stride is walked
    /// once per block instead of once per strip (which conflicted in the L1 sets).
    /// </summary>
    private static void PackTransposedA(MatrixOperand a, int i0, int mb, int p0, int kb, float* dest)
    {
        int wholeStrips = mb / MR, rest = mb - wholeStrips * MR;
        for (int p = 0; p < kb; p++)
        {
            float* source = a.Data + (long)(p0 + p) * a.ColumnStride + i0;
            if (p + PrefetchColumns < kb && Sse.IsSupported)
            {
                float* ahead = source + (long)PrefetchColumns * a.ColumnStride;
                for (int offset = 0; offset < mb; offset += 16) Sse.Prefetch0(ahead + offset);
                Sse.Prefetch0(ahead + mb - 1);
            }
            for (int s = 0; s < wholeStrips; s++)
            {
                float* from = source + s * MR, to = dest + s * MR * kb + p * MR;
                // Eight-wide copies where two more rows exist to read and the spare lanes land on this strip's next column.
                if (p + 1 < kb && (s + 1) * MR + 2 <= mb) Vector256.Load(from).Store(to);
                else
                {
                    Vector128.Load(from).Store(to);
                    to[4] = from[4];
                    to[5] = from[5];
                }
            }
            if (rest > 0)
            {
                float* from = source + wholeStrips * MR, to = dest + wholeStrips * MR * kb + p * MR;
                for (int r = 0; r < MR; r++) to[r] = r < rest ? from[r] : 0f;
            }
        }
    }

    /// <summary>One product split into parts for the worker pool (reused per calling thread: no allocation per call).</summary>
    private sealed class Work : IParallelWork
    {
        private int _m, _ldc, _splitCount;
        private bool _accumulate, _byRows;
        private MatrixOperand _a;
        private PackedMatrix? _b;
        private float* _c, _bias;

        public int Parts => _splitCount;

        public void Set(int m, MatrixOperand a, PackedMatrix b, float* c, int ldc, bool accumulate, float* bias)
        {
            _bias = bias;
            _m = m;
            _a = a;
            _b = b;
            _c = c;
            _ldc = ldc;
            _accumulate = accumulate;
        }

        public void SplitColumns(int parts) => (_splitCount, _byRows) = (parts, false);

        public void SplitRows(int parts) => (_splitCount, _byRows) = (parts, true);

        public void Execute(int part)
        {
            PackedMatrix b = _b!;
            if (_byRows)
            {
                int strips = (_m + MR - 1) / MR;
                int first = strips * part / _splitCount, last = strips * (part + 1) / _splitCount;
                Compute(first * MR, Math.Min(_m, last * MR), 0, b.Strips, _a, b, _c, _ldc, _accumulate, _bias);
            }
            else
            {
                int first = b.Strips * part / _splitCount, last = b.Strips * (part + 1) / _splitCount;
                Compute(0, _m, first, last, _a, b, _c, _ldc, _accumulate, _bias);
            }
        }
    }
}
