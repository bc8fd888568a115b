using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>
/// The register-blocked inner kernel of <see cref="PackedGemm"/>: a 6 x 16 tile of C held in twelve
/// 256-bit accumulators, updated by one broadcast of A and two loads of B per FMA pair (AVX2 + FMA),
/// with a portable <see cref="Vector256"/> path for other processors. Short last tiles spend no FMAs on
/// padding rows: 3 or 4 rows (e.g. of a batch of 64) take a 4 x 16 variant, 1 or 2 rows (e.g. of a batch
/// of 32) a 2 x 32 variant over two strips. The AVX-512 forms (<see cref="RunWide"/>, 6 x 32) do the same for short
/// tiles: 4 x 32 and 2 x 64 variants, each with eight accumulators. All sum over k in the same order, so every element
/// gets the same value from any of them.
/// </summary>
internal static unsafe class MicroKernel
{
    /// <summary>Rows of a tile (A strip height).</summary>
    public const int MR = 6;

    /// <summary>Columns of a tile (B strip width).</summary>
    public const int NR = 16;

    /// <summary>Rows of the short-tile variant.</summary>
    private const int ShortRows = 4;

    /// <summary>Most rows of a tile that <see cref="RunPair"/> takes over two strips.</summary>
    public const int PairRows = 2;

    /// <summary>
    /// c[i*ldc + j] (+)= bias[j] + sum over p &lt; kc of a[p*MR + i] * b[p*NR + j], for i &lt; rows and j &lt; cols
    /// (a and b are packed strips, zero-padded to MR and NR; bias holds NR values, or is null for none).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool accumulate, float* bias)
    {
        if (rows <= ShortRows && Fma.IsSupported)
        {
            RunShort(kc, a, b, c, ldc, rows, cols, accumulate, bias);
            return;
        }
        Vector256<float> c00 = default, c01 = default;
        if (bias != null)
        {
            c00 = Vector256.Load(bias);
            c01 = Vector256.Load(bias + 8);
        }
        Vector256<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01, c50 = c00, c51 = c01;
        if (Fma.IsSupported)
        {
            PrefetchTile(c, ldc, rows);
            int p = 0;
            for (; p + 1 < kc; p += 2)
            {
                Step(a, b, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
                Step(a + MR, b + NR, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
                a += 2 * MR; b += 2 * NR;
            }
            if (p < kc)
            {
                Step(a, b, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
                a += MR; b += NR;
            }
        }
        else
        {
            for (int p = 0; p < kc; p++)
            {
                Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
                Vector256<float> x = Vector256.Create(a[0]);
                c00 += x * b0; c01 += x * b1;
                x = Vector256.Create(a[1]); c10 += x * b0; c11 += x * b1;
                x = Vector256.Create(a[2]); c20 += x * b0; c21 += x * b1;
                x = Vector256.Create(a[3]); c30 += x * b0; c31 += x * b1;
                x = Vector256.Create(a[4]); c40 += x * b0; c41 += x * b1;
                x = Vector256.Create(a[5]); c50 += x * b0; c51 += x * b1;
                a += MR; b += NR;
            }
        }
        if (rows == MR && cols == NR)
        {
            Store(c, c00, c01, accumulate); Store(c + ldc, c10, c11, accumulate); Store(c + 2 * ldc, c20, c21, accumulate);
            Store(c + 3 * ldc, c30, c31, accumulate); Store(c + 4 * ldc, c40, c41, accumulate); Store(c + 5 * ldc, c50, c51, accumulate);
            return;
        }
        float* tile = stackalloc float[MR * NR];
        c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24); c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56); c40.Store(tile + 64); c41.Store(tile + 72); c50.Store(tile + 80); c51.Store(tile + 88);
        StorePartial(tile, NR, c, ldc, rows, cols, accumulate);
    }

    /// <summary>The 4 x 16 variant of <see cref="Run"/> for tiles of at most 4 rows (AVX2 + FMA): eight accumulators, same k order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunShort(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool accumulate, float* bias)
    {
        Vector256<float> c00 = default, c01 = default;
        if (bias != null)
        {
            c00 = Vector256.Load(bias);
            c01 = Vector256.Load(bias + 8);
        }
        Vector256<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
        PrefetchTile(c, ldc, rows);
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 8);
            Row(a, b0, b1, ref c00, ref c01);
            Row(a + 1, b0, b1, ref c10, ref c11);
            Row(a + 2, b0, b1, ref c20, ref c21);
            Row(a + 3, b0, b1, ref c30, ref c31);
            a += MR; b += NR;
        }
        float* tile = stackalloc float[ShortRows * NR];
        c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40); c30.Store(tile + 48); c31.Store(tile + 56);
        StorePartial(tile, NR, c, ldc, rows, cols, accumulate);
    }

    /// <summary>
    /// <see cref="Run"/> for a tile of at most <see cref="PairRows"/> rows over two adjacent strips, b0 and b1 (columns
    /// 16 to <paramref name="cols"/> in b1; b1 null for one strip): eight accumulators at the 6 x 16 kernel's FMA rate,
    /// same k order. Bias, when given, holds cols values zero-padded to whole strips.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPair(int kc, float* a, float* b0, float* b1, float* c, int ldc, int rows, int cols, bool accumulate, float* bias)
    {
        if (b1 == null || !Fma.IsSupported)
        {
            Run(kc, a, b0, c, ldc, rows, Math.Min(cols, NR), accumulate, bias);
            if (b1 != null) Run(kc, a, b1, c + NR, ldc, rows, cols - NR, accumulate, bias == null ? null : bias + NR);
            return;
        }
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        if (bias != null)
        {
            c00 = Vector256.Load(bias); c01 = Vector256.Load(bias + 8);
            c02 = Vector256.Load(bias + 16); c03 = Vector256.Load(bias + 24);
        }
        Vector256<float> c10 = c00, c11 = c01, c12 = c02, c13 = c03;
        PrefetchTile(c, ldc, rows, 2 * NR);
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> x0 = Avx.LoadVector256(b0), x1 = Avx.LoadVector256(b0 + 8), x2 = Avx.LoadVector256(b1), x3 = Avx.LoadVector256(b1 + 8);
            Vector256<float> x = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(x, x0, c00); c01 = Fma.MultiplyAdd(x, x1, c01); c02 = Fma.MultiplyAdd(x, x2, c02); c03 = Fma.MultiplyAdd(x, x3, c03);
            x = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(x, x0, c10); c11 = Fma.MultiplyAdd(x, x1, c11); c12 = Fma.MultiplyAdd(x, x2, c12); c13 = Fma.MultiplyAdd(x, x3, c13);
            a += MR; b0 += NR; b1 += NR;
        }
        float* tile = stackalloc float[PairRows * 2 * NR];
        c00.Store(tile); c01.Store(tile + 8); c02.Store(tile + 16); c03.Store(tile + 24);
        c10.Store(tile + 32); c11.Store(tile + 40); c12.Store(tile + 48); c13.Store(tile + 56);
        StorePartial(tile, 2 * NR, c, ldc, rows, cols, accumulate);
    }

    /// <summary>
    /// Whether PackedGemm runs every tile through <see cref="RunWide"/> on 512-bit vectors: on by default where AVX-512F
    /// exists; tests turn it off to compare against the AVX2 kernels (same bits).
    /// </summary>
    public static bool Wide { get; set; } = Avx512F.IsSupported;

    /// <summary>
    /// The AVX-512 form of a 6 x 32 tile over two adjacent strips, b0 and b1 (columns 16 to <paramref name="cols"/> in b1; b1
    /// null for one strip, which <see cref="Run"/> takes): twelve 512-bit accumulators, two loads of B and six broadcasts
    /// of A per twelve FMAs. Each element is the same chain of FMAs in the same k order as in <see cref="Run"/>, so the
    /// bits equal the AVX2 kernel's; only twice as many lanes run per instruction. Bias, when given, holds cols values
    /// zero-padded to whole strips.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunWide(int kc, float* a, float* b0, float* b1, float* c, int ldc, int rows, int cols, bool accumulate, float* bias)
    {
        if (b1 == null || !Avx512F.IsSupported)
        {
            RunPair(kc, a, b0, b1, c, ldc, rows, cols, accumulate, bias);
            return;
        }
        if (rows <= ShortRows)
        {
            RunWideShort(kc, a, b0, b1, c, ldc, rows, cols, accumulate, bias);
            return;
        }
        Vector512<float> c00 = default, c01 = default;
        if (bias != null)
        {
            c00 = Vector512.Load(bias);
            c01 = Vector512.Load(bias + NR);
        }
        Vector512<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01, c50 = c00, c51 = c01;
        PrefetchTile(c, ldc, rows, 2 * NR);
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> x0 = Avx512F.LoadVector512(b0), x1 = Avx512F.LoadVector512(b1);
            WideRow(a, x0, x1, ref c00, ref c01); WideRow(a + 1, x0, x1, ref c10, ref c11); WideRow(a + 2, x0, x1, ref c20, ref c21);
            WideRow(a + 3, x0, x1, ref c30, ref c31); WideRow(a + 4, x0, x1, ref c40, ref c41); WideRow(a + 5, x0, x1, ref c50, ref c51);
            a += MR; b0 += NR; b1 += NR;
        }
        if (rows == MR && cols == 2 * NR)
        {
            StoreWide(c, c00, c01, accumulate); StoreWide(c + ldc, c10, c11, accumulate); StoreWide(c + 2 * ldc, c20, c21, accumulate);
            StoreWide(c + 3 * ldc, c30, c31, accumulate); StoreWide(c + 4 * ldc, c40, c41, accumulate); StoreWide(c + 5 * ldc, c50, c51, accumulate);
            return;
        }
        float* tile = stackalloc float[MR * 2 * NR];
        c00.Store(tile); c01.Store(tile + 16); c10.Store(tile + 32); c11.Store(tile + 48); c20.Store(tile + 64); c21.Store(tile + 80);
        c30.Store(tile + 96); c31.Store(tile + 112); c40.Store(tile + 128); c41.Store(tile + 144); c50.Store(tile + 160); c51.Store(tile + 176);
        StorePartial(tile, 2 * NR, c, ldc, rows, cols, accumulate);
    }

    /// <summary>
    /// The 4 x 32 variant of <see cref="RunWide"/> for tiles of at most 4 rows (the last strip of a batch of 16 or 64, where
    /// the 6-row tile would spend a third of its FMAs on padding): eight 512-bit accumulators, enough to keep both FMA
    /// ports busy; same k order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunWideShort(int kc, float* a, float* b0, float* b1, float* c, int ldc, int rows, int cols, bool accumulate, float* bias)
    {
        Vector512<float> c00 = default, c01 = default;
        if (bias != null)
        {
            c00 = Vector512.Load(bias);
            c01 = Vector512.Load(bias + NR);
        }
        Vector512<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
        PrefetchTile(c, ldc, rows, 2 * NR);
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> x0 = Avx512F.LoadVector512(b0), x1 = Avx512F.LoadVector512(b1);
            WideRow(a, x0, x1, ref c00, ref c01); WideRow(a + 1, x0, x1, ref c10, ref c11);
            WideRow(a + 2, x0, x1, ref c20, ref c21); WideRow(a + 3, x0, x1, ref c30, ref c31);
            a += MR; b0 += NR; b1 += NR;
        }
        float* tile = stackalloc float[ShortRows * 2 * NR];
        c00.Store(tile); c01.Store(tile + 16); c10.Store(tile + 32); c11.Store(tile + 48);
        c20.Store(tile + 64); c21.Store(tile + 80); c30.Store(tile + 96); c31.Store(tile + 112);
        StorePartial(tile, 2 * NR, c, ldc, rows, cols, accumulate);
    }

    /// <summary>
    /// <see cref="RunWide"/> for a tile of at most <see cref="PairRows"/> rows over four adjacent strips (b2 and b3 null
    /// past the end of B; columns from 32 on lie in b2 and b3): eight 512-bit accumulators, where a 6 x 32 tile would spend
    /// two thirds of its FMAs on padding (the last strip of a batch of 8 or 32); same k order. Bias, when given, holds cols
    /// values zero-padded to whole strips.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunWideQuad(int kc, float* a, float* b0, float* b1, float* b2, float* b3, float* c, int ldc, int rows, int cols, bool accumulate, float* bias)
    {
        if (b2 == null || b3 == null)
        {
            RunWide(kc, a, b0, b1, c, ldc, rows, Math.Min(cols, 2 * NR), accumulate, bias);
            if (b2 != null) RunWide(kc, a, b2, b3, c + 2 * NR, ldc, rows, cols - 2 * NR, accumulate, bias == null ? null : bias + 2 * NR);
            return;
        }
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        if (bias != null)
        {
            c00 = Vector512.Load(bias); c01 = Vector512.Load(bias + NR);
            c02 = Vector512.Load(bias + 2 * NR); c03 = Vector512.Load(bias + 3 * NR);
        }
        Vector512<float> c10 = c00, c11 = c01, c12 = c02, c13 = c03;
        PrefetchTile(c, ldc, rows, 4 * NR);
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> x0 = Avx512F.LoadVector512(b0), x1 = Avx512F.LoadVector512(b1), x2 = Avx512F.LoadVector512(b2), x3 = Avx512F.LoadVector512(b3);
            WideRow(a, x0, x1, ref c00, ref c01); WideRow(a, x2, x3, ref c02, ref c03);
            WideRow(a + 1, x0, x1, ref c10, ref c11); WideRow(a + 1, x2, x3, ref c12, ref c13);
            a += MR; b0 += NR; b1 += NR; b2 += NR; b3 += NR;
        }
        float* tile = stackalloc float[PairRows * 4 * NR];
        c00.Store(tile); c01.Store(tile + 16); c02.Store(tile + 32); c03.Store(tile + 48);
        c10.Store(tile + 64); c11.Store(tile + 80); c12.Store(tile + 96); c13.Store(tile + 112);
        StorePartial(tile, 4 * NR, c, ldc, rows, cols, accumulate);
    }

    /// <summary>One row of a wide k step: broadcasts a[0] and adds its products with 32 values of B to the row's two accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WideRow(float* a, Vector512<float> b0, Vector512<float> b1, ref Vector512<float> low, ref Vector512<float> high)
    {
        Vector512<float> x = Vector512.Create(a[0]);
        low = Avx512F.FusedMultiplyAdd(x, b0, low);
        high = Avx512F.FusedMultiplyAdd(x, b1, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWide(float* c, Vector512<float> low, Vector512<float> high, bool accumulate)
    {
        if (accumulate)
        {
            low += Vector512.Load(c);
            high += Vector512.Load(c + NR);
        }
        low.Store(c);
        high.Store(c + NR);
    }

    /// <summary>
    /// C is touched only after the k loop: requests the first and last line of each of the tile's rows (width
    /// floats) first, so the loop hides the latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, int ldc, int rows, int width = NR)
    {
        for (int i = 0; i < rows; i++)
        {
            Sse.Prefetch0(c + i * ldc);
            Sse.Prefetch0(c + i * ldc + width - 1);
        }
    }

    /// <summary>Writes (or adds) the first rows x cols of a tile held row by row, <paramref name="width"/> floats a row.</summary>
    private static void StorePartial(float* tile, int width, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        for (int i = 0; i < rows; i++)
        {
            float* row = tile + i * width;
            int j = 0;
            for (; j + NR <= cols; j += NR) Store(c + i * ldc + j, Vector256.Load(row + j), Vector256.Load(row + j + 8), accumulate);
            for (; j < cols; j++)
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + row[j] : row[j];
        }
    }

    /// <summary>One k step of the 6 x 16 tile (AVX2 + FMA): two loads of B, six broadcasts of A, twelve FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(float* a, float* b, ref Vector256<float> c00, ref Vector256<float> c01, ref Vector256<float> c10, ref Vector256<float> c11,
        ref Vector256<float> c20, ref Vector256<float> c21, ref Vector256<float> c30, ref Vector256<float> c31,
        ref Vector256<float> c40, ref Vector256<float> c41, ref Vector256<float> c50, ref Vector256<float> c51)
    {
        Vector256<float> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 8);
        Row(a, b0, b1, ref c00, ref c01);
        Row(a + 1, b0, b1, ref c10, ref c11);
        Row(a + 2, b0, b1, ref c20, ref c21);
        Row(a + 3, b0, b1, ref c30, ref c31);
        Row(a + 4, b0, b1, ref c40, ref c41);
        Row(a + 5, b0, b1, ref c50, ref c51);
    }

    /// <summary>One row of a k step: broadcasts a[0] and adds its products with the 16 values of B to the row's two accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float* a, Vector256<float> b0, Vector256<float> b1, ref Vector256<float> low, ref Vector256<float> high)
    {
        Vector256<float> x = Avx.BroadcastScalarToVector256(a);
        low = Fma.MultiplyAdd(x, b0, low);
        high = Fma.MultiplyAdd(x, b1, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> low, Vector256<float> high, bool accumulate)
    {
        if (accumulate)
        {
            low += Vector256.Load(c);
            high += Vector256.Load(c + 8);
        }
        low.Store(c);
        high.Store(c + 8);
    }
}
