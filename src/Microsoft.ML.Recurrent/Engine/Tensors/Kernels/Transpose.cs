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

    /// <summary>One 8 x 8 block through unpack, shuffle and lane permutes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x8(float* src, long lds, float* dst, long ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lds), r2 = Avx.LoadVector256(src + 2 * lds), r3 = Avx.LoadVector256(src + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * lds), r5 = Avx.LoadVector256(src + 5 * lds), r6 = Avx.LoadVector256(src + 6 * lds), r7 = Avx.LoadVector256(src + 7 * lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }
}
