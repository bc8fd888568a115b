using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>Transposed copies for packing: 8 x 8 blocks in AVX registers, anything else element by element.</summary>
internal static unsafe class Transpose
{
    /// <summary>
    /// dst[c * ldd + r] = src[r * lds + c] for r &lt; rows, c &lt; cols (src rows are contiguous; both strides in floats).
    /// </summary>
    public static void Copy(float* src, long lds, int rows, int cols, float* dst, long ldd)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r + 8 <= rows; r += 8)
            {
                int c = 0;
                for (; c + 8 <= cols; c += 8) Block8x8(src + r * lds + c, lds, dst + c * ldd + r, ldd);
                for (; c < cols; c++)
                    for (int i = r; i < r + 8; i++) dst[c * ldd + i] = src[i * lds + c];
            }
        }
        for (; r < rows; r++)
            for (int c = 0; c < cols; c++) dst[c * ldd + r] = src[r * lds + c];
    }

    /// <summary>
    /// dst[p * 6 + i] = src[i * lds + p] for i &lt; 6, p &lt; count (a 6-row kernel strip, AVX only): 8 x 8 blocks
    /// with two zero rows, each column stored whole in increasing order, so the two spare lanes are
    /// overwritten by the next column. Writes up to 2 floats past dst + 6 * count.
    /// </summary>
    public static void SixRows(float* src, long lds, int count, float* dst)
    {
        int p = 0;
        if (Avx.IsSupported)
        {
            for (; p + 8 <= count; p += 8)
            {
                float* s = src + p;
                Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds), r2 = Avx.LoadVector256(s + 2 * lds);
                Vector256<float> r3 = Avx.LoadVector256(s + 3 * lds), r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds);
                Vector256<float> zero = Vector256<float>.Zero;
                InRegisters(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref zero, ref zero, out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7);
                float* d = dst + p * 6;
                Avx.Store(d, r0); Avx.Store(d + 6, r1); Avx.Store(d + 12, r2); Avx.Store(d + 18, r3);
                Avx.Store(d + 24, c4); Avx.Store(d + 30, c5); Avx.Store(d + 36, c6); Avx.Store(d + 42, c7);
            }
        }
        for (; p < count; p++)
            for (int i = 0; i < 6; i++) dst[p * 6 + i] = src[i * lds + p];
    }

    /// <summary>One 8 x 8 block through unpack, shuffle and lane permutes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x8(float* src, long lds, float* dst, long ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lds), r2 = Avx.LoadVector256(src + 2 * lds), r3 = Avx.LoadVector256(src + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * lds), r5 = Avx.LoadVector256(src + 5 * lds), r6 = Avx.LoadVector256(src + 6 * lds), r7 = Avx.LoadVector256(src + 7 * lds);
        InRegisters(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7);
        Avx.Store(dst, r0);
        Avx.Store(dst + ldd, r1);
        Avx.Store(dst + 2 * ldd, r2);
        Avx.Store(dst + 3 * ldd, r3);
        Avx.Store(dst + 4 * ldd, c4);
        Avx.Store(dst + 5 * ldd, c5);
        Avx.Store(dst + 6 * ldd, c6);
        Avx.Store(dst + 7 * ldd, c7);
    }

    /// <summary>Transposes rows r0..r7 into columns: columns 0-3 come back in r0..r3, columns 4-7 in c4..c7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InRegisters(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7,
        out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(s0, s4, 0x20);
        r1 = Avx.Permute2x128(s1, s5, 0x20);
        r2 = Avx.Permute2x128(s2, s6, 0x20);
        r3 = Avx.Permute2x128(s3, s7, 0x20);
        c4 = Avx.Permute2x128(s0, s4, 0x31);
        c5 = Avx.Permute2x128(s1, s5, 0x31);
        c6 = Avx.Permute2x128(s2, s6, 0x31);
        c7 = Avx.Permute2x128(s3, s7, 0x31);
    }
}
