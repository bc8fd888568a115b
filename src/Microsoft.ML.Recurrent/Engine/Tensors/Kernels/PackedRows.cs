using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>
/// A row-major matrix M [n, k] packed for matrix-vector products <c>y = M x</c> (batch-1 recurrent steps,
/// bound by reading M from cache): blocks of <see cref="BlockRows"/> rows, and inside a block, column by
/// column, the block's values of that column (rows past n zero-padded). A product then reads M as one
/// sequential stream and keeps each row's sum in a vector lane (no horizontal sums); about 1.3x the
/// row-by-row <see cref="Gemv"/> on the 256 KB weight of workload D.
/// </summary>
internal sealed unsafe class PackedRows
{
    /// <summary>Rows of a block: four 256-bit accumulators.</summary>
    public const int BlockRows = 32;

    private float[] _data = [];

    /// <summary>n.</summary>
    public int Rows { get; private set; }

    /// <summary>k.</summary>
    public int Columns { get; private set; }

    private int Blocks => (Rows + BlockRows - 1) / BlockRows;

    /// <summary>Packs M [n, k] with row stride <paramref name="ldm"/>, reusing the storage when it is large enough.</summary>
    public void Pack(int n, int k, ReadOnlySpan<float> m, int ldm)
    {
        if (n < 1 || k < 1 || ldm < k || m.Length < (n - 1) * ldm + k) throw new ArgumentException($"M [{n}, {k}] with row stride {ldm} does not fit in {m.Length} values.", nameof(m));
        Rows = n;
        Columns = k;
        int size = Blocks * BlockRows * k;
        if (_data.Length < size) _data = GC.AllocateUninitializedArray<float>(size, pinned: true);
        fixed (float* source = m, data = _data)
        {
            for (int block = 0; block < Blocks; block++)
            {
                int first = block * BlockRows, rows = Math.Min(BlockRows, n - first);
                float* dest = data + (long)block * BlockRows * k;
                Transpose.Copy(source + (long)first * ldm, ldm, rows, k, dest, BlockRows);
                for (int p = 0; p < k; p++)
                    for (int r = rows; r < BlockRows; r++) dest[p * BlockRows + r] = 0f;
            }
        }
    }

    /// <summary>y[n] (+)= M x[k] (+ bias[n] when bias is not null).</summary>
    public void Multiply(float* x, float* y, bool accumulate, float* bias)
    {
        int k = Columns, n = Rows;
        float* result = stackalloc float[BlockRows];
        fixed (float* data = _data)
        {
            for (int block = 0; block < Blocks; block++)
            {
                float* column = data + (long)block * BlockRows * k;
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
                int first = block * BlockRows, count = Math.Min(BlockRows, n - first);
                a0 += b0; a1 += b1; a2 += b2; a3 += b3;
                if (count == BlockRows)
                {
                    float* target = y + first;
                    if (accumulate) { a0 += Vector256.Load(target); a1 += Vector256.Load(target + 8); a2 += Vector256.Load(target + 16); a3 += Vector256.Load(target + 24); }
                    if (bias != null) { a0 += Vector256.Load(bias + first); a1 += Vector256.Load(bias + first + 8); a2 += Vector256.Load(bias + first + 16); a3 += Vector256.Load(bias + first + 24); }
                    a0.Store(target); a1.Store(target + 8); a2.Store(target + 16); a3.Store(target + 24);
                    continue;
                }
                a0.Store(result); a1.Store(result + 8); a2.Store(result + 16); a3.Store(result + 24);
                for (int r = 0; r < count; r++)
                {
                    float sum = result[r];
                    if (accumulate) sum += y[first + r];
                    if (bias != null) sum += bias[first + r];
                    y[first + r] = sum;
                }
            }
        }
    }
}
