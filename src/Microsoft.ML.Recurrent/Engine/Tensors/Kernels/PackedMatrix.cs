using System.Runtime.Intrinsics;
using static Microsoft.ML.Recurrent.Engine.Tensors.Kernels.MicroKernel;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>
/// The right-hand operand B [k, n] of a product, packed once for <see cref="PackedGemm"/> and reusable
/// across calls (a recurrent weight used at every time step). Layout: blocks of <see cref="PackedGemm.KC"/>
/// rows; inside a block of kb rows, strips of <see cref="MicroKernel.NR"/> columns, each kb x NR row-major,
/// zero-padded on the right.
/// </summary>
internal sealed unsafe class PackedMatrix : Threading.IParallelWork
{
    private const int ParallelPackingFloats = 1 << 16;
    private readonly AlignedBuffer _data = new();
    private MatrixOperand _source;
    private int _parts;

    /// <summary>k.</summary>
    public int Rows { get; private set; }

    /// <summary>n.</summary>
    public int Columns { get; private set; }

    /// <summary>Number of NR-wide strips.</summary>
    public int Strips => (Columns + NR - 1) / NR;

    /// <summary>Start of the packed values (the array is pinned).</summary>
    public float* Data => _data.Pointer;

    /// <summary>Packs B [k, n] (any strides), reusing the storage when it is large enough.</summary>
    public void Pack(int k, int n, MatrixOperand b)
    {
        Rows = k;
        Columns = n;
        int size = k * Strips * NR;
        _data.Reserve(size);
        _source = b;
        // Large operands are packed by all threads, each taking a range of strips.
        _parts = size >= ParallelPackingFloats ? Math.Min(Threading.WorkerPool.Parallelism, Strips) : 1;
        if (_parts <= 1) Execute(0);
        else Threading.WorkerPool.Run(_parts, this);
    }

    /// <summary>Packs strip range <paramref name="part"/> of the current <see cref="Pack"/> call.</summary>
    void Threading.IParallelWork.Execute(int part) => Execute(part);

    private void Execute(int part)
    {
        int first = Strips * part / Math.Max(1, _parts), last = Strips * (part + 1) / Math.Max(1, _parts);
        float* data = Data;
        for (int pc = 0; pc < Rows; pc += PackedGemm.KC)
        {
            int kb = Math.Min(PackedGemm.KC, Rows - pc);
            float* block = data + (long)pc * Strips * NR;
            for (int s = first; s < last; s++)
                PackStrip(_source, pc, kb, s * NR, Math.Min(NR, Columns - s * NR), block + (long)s * kb * NR);
        }
    }

    /// <summary>The packed strip <paramref name="strip"/> of the block starting at row <paramref name="pc"/>.</summary>
    public float* Strip(int pc, int strip) => Data + (long)pc * Strips * NR + (long)strip * Math.Min(PackedGemm.KC, Rows - pc) * NR;

    private static void PackStrip(MatrixOperand b, int p0, int kb, int j0, int cols, float* dest)
    {
        if (b.ColumnStride == 1 && cols == NR)
        {
            for (int p = 0; p < kb; p++)
            {
                float* source = b.Data + (long)(p0 + p) * b.RowStride + j0;
                Vector256.Load(source).Store(dest + p * NR);
                Vector256.Load(source + 8).Store(dest + p * NR + 8);
            }
            return;
        }
        if (b.RowStride == 1)
        {
            // A transposed source (NT products): its columns are contiguous, so the strip is a transposed copy.
            Transpose.Copy(b.Data + p0 + (long)j0 * b.ColumnStride, b.ColumnStride, cols, kb, dest, NR);
            if (cols < NR)
                for (int p = 0; p < kb; p++) new Span<float>(dest + p * NR + cols, NR - cols).Clear();
            return;
        }
        for (int p = 0; p < kb; p++)
        {
            float* row = dest + p * NR;
            for (int j = 0; j < cols; j++) row[j] = b[p0 + p, j0 + j];
            for (int j = cols; j < NR; j++) row[j] = 0f;
        }
    }
}
