using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>
/// A row-major matrix M [n, k] packed for matrix-vector products <c>y = M x</c> (batch-1 recurrent steps,
/// bound by reading M from cache): blocks of <see cref="BlockRows"/> rows, and inside a block, column by
/// column, the block's values of that column (rows past n zero-padded). A product then reads M as one
/// sequential stream and keeps each row's sum in a vector lane (no horizontal sums); about 1.3x the
/// row-by-row <see cref="Gemv"/> on the 256 KB weight of workload D.
/// </summary>
/// <remarks>
/// A recurrent weight [G*H, H] can be packed gate-interleaved: block b then holds units
/// [b*U, (b+1)*U) of every gate (U = 32 / G), so a range of blocks yields whole units, whose gate math
/// can follow on the same thread. Results are written to the rows' original positions either way.
/// </remarks>
internal sealed unsafe class PackedRows
{
    /// <summary>Rows of a block: four 256-bit or two 512-bit vectors.</summary>
    public const int BlockRows = 32;

    private const int VectorRows = 8;
    private readonly AlignedBuffer _data = new();
    private int[] _targets = [];

    /// <summary>n.</summary>
    public int Rows { get; private set; }

    /// <summary>k.</summary>
    public int Columns { get; private set; }

    /// <summary>Number of blocks.</summary>
    public int Blocks => (Rows + BlockRows - 1) / BlockRows;

    /// <summary>Units of every gate a block holds when packed gate-interleaved, else 0.</summary>
    public int UnitsPerBlock { get; private set; }

    /// <summary>
    /// Packs M [n, k] with row stride <paramref name="ldm"/>, reusing the storage when it is large enough.
    /// With <paramref name="gates"/> G &gt; 1 the rows are G blocks of n/G, packed gate-interleaved when
    /// G divides 32 and 32/G divides n/G (otherwise in plain order).
    /// </summary>
    public void Pack(int n, int k, ReadOnlySpan<float> m, int ldm, int gates = 1)
    {
        if (n < 1 || k < 1 || ldm < k || m.Length < (n - 1) * ldm + k) throw new ArgumentException($"M [{n}, {k}] with row stride {ldm} does not fit in {m.Length} values.", nameof(m));
        Rows = n;
        Columns = k;
        int units = n / gates, perBlock = BlockRows / gates;
        bool interleave = gates >= 1 && BlockRows % gates == 0 && n % gates == 0 && units % perBlock == 0;
        UnitsPerBlock = interleave ? perBlock : 0;
        int vectors = Blocks * (BlockRows / VectorRows), size = Blocks * BlockRows * k;
        _data.Reserve(size);
        if (_targets.Length < vectors) _targets = new int[vectors];
        for (int v = 0; v < vectors; v++)
        {
            // Packed vector v of block b covers gate q's units from b*U + l0 (interleaved), or rows 8v on (plain).
            int block = v / (BlockRows / VectorRows), offset = v % (BlockRows / VectorRows) * VectorRows;
            _targets[v] = interleave ? offset / perBlock * units + block * perBlock + offset % perBlock : v * VectorRows;
        }
        fixed (float* source = m)
        {
            float* data = _data.Pointer;
            for (int v = 0; v < vectors; v++)
            {
                int first = _targets[v], rows = Math.Clamp(n - first, 0, VectorRows);
                float* dest = data + (long)(v / (BlockRows / VectorRows)) * BlockRows * k + v % (BlockRows / VectorRows) * VectorRows;
                Transpose.Copy(source + (long)first * ldm, ldm, rows, k, dest, BlockRows);
                for (int p = 0; p < k; p++)
                    for (int r = rows; r < VectorRows; r++) dest[p * BlockRows + r] = 0f;
            }
        }
    }

    /// <summary>y (+)= M x (+ bias when not null) for the rows of blocks [firstBlock, lastBlock); y and bias are indexed by original row.</summary>
    public void Multiply(float* x, float* y, bool accumulate, float* bias, int firstBlock, int lastBlock)
    {
        if (firstBlock < 0 || lastBlock > Blocks) throw new ArgumentOutOfRangeException(nameof(lastBlock), $"Blocks [{firstBlock}, {lastBlock}) are outside [0, {Blocks}).");
        int k = Columns;
        fixed (int* targets = _targets)
        {
            float* data = _data.Pointer;
            for (int block = firstBlock; block < lastBlock; block++)
            {
                float* column = data + (long)block * BlockRows * k;
                int* target = targets + block * (BlockRows / VectorRows);
                if (Vector512.IsHardwareAccelerated)
                {
                    (Vector512<float> low, Vector512<float> high) = Block512(column, x, k);
                    Write(low.GetLower(), y, target[0], accumulate, bias);
                    Write(low.GetUpper(), y, target[1], accumulate, bias);
                    Write(high.GetLower(), y, target[2], accumulate, bias);
                    Write(high.GetUpper(), y, target[3], accumulate, bias);
                    continue;
                }
                (Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3) = Block256(column, x, k);
                Write(s0, y, target[0], accumulate, bias);
                Write(s1, y, target[1], accumulate, bias);
                Write(s2, y, target[2], accumulate, bias);
                Write(s3, y, target[3], accumulate, bias);
            }
        }
    }

    /// <summary>One block's 32 sums, as four 256-bit vectors of eight rows: Σ_p column[p] x[p] over the block's packed columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) Block256(float* column, float* x, int k)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        int p = 0;
        // Two sets of accumulators alternate over p, so eight FMA chains are in flight.
        for (; p + 2 <= k; p += 2, column += 2 * BlockRows)
        {
            Vector256<float> u = Vector256.Create(x[p]), v = Vector256.Create(x[p + 1]);
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(column), u, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 8), u, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 16), u, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 24), u, a3);
            b0 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 32), v, b0);
            b1 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 40), v, b1);
            b2 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 48), v, b2);
            b3 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 56), v, b3);
        }
        if (p < k)
        {
            Vector256<float> u = Vector256.Create(x[p]);
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(column), u, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 8), u, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 16), u, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 24), u, a3);
        }
        return (a0 + b0, a1 + b1, a2 + b2, a3 + b3);
    }
    /// <summary>
    /// One block's 32 sums with 512-bit vectors: the same products added in the same order as <see cref="Block256"/> (even
    /// columns into one accumulator, odd into another, summed at the end), so both paths give the same bits, in half
    /// the loads (about 1.3x on a 256 KB weight read from L2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<float> Low, Vector512<float> High) Block512(float* column, float* x, int k)
    {
        Vector512<float> a0 = default, a1 = default, b0 = default, b1 = default;
        int p = 0;
        for (; p + 2 <= k; p += 2, column += 2 * BlockRows)
        {
            Vector512<float> u = Vector512.Create(x[p]), v = Vector512.Create(x[p + 1]);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(column), u, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 16), u, a1);
            b0 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 32), v, b0);
            b1 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 48), v, b1);
        }
        if (p < k)
        {
            Vector512<float> u = Vector512.Create(x[p]);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(column), u, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 16), u, a1);
        }
        return (a0 + b0, a1 + b1);
    }

    /// <summary>Writes the eight sums of rows [row, row + 8), fewer where the matrix ends.</summary>
    private void Write(Vector256<float> sum, float* y, int row, bool accumulate, float* bias)
    {
        if (row + VectorRows <= Rows)
        {
            if (accumulate) sum += Vector256.Load(y + row);
            if (bias != null) sum += Vector256.Load(bias + row);
            sum.Store(y + row);
            return;
        }
        for (int r = 0; row + r < Rows; r++)
        {
            float value = sum.GetElement(r);
            if (accumulate) value += y[row + r];
            if (bias != null) value += bias[row + r];
            y[row + r] = value;
        }
    }
}
