using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>
/// Gated recurrent unit, gate order r, z, n; <c>h = (1-z)*n + z*h_prev</c>.
/// Reset-after (PyTorch/cuDNN): <c>n = tanh(a_n + r*(W_hn h_prev + b_hn))</c>.
/// Reset-before (the textbook formula of Cho et al.): <c>n = tanh(a_n + W_hn (r*h_prev) + b_hn)</c>.
/// </summary>
internal sealed class GruCell : RecurrentCell
{
    /// <summary>Creates a GRU cell.</summary>
    /// <param name="hiddenSize">H.</param>
    /// <param name="resetAfter">True for PyTorch's variant, false for the textbook one.</param>
    public GruCell(int hiddenSize, bool resetAfter = true) : base(hiddenSize) => ResetAfter = resetAfter;

    /// <summary>Whether the reset gate is applied after the recurrent product (PyTorch) or before it.</summary>
    public bool ResetAfter { get; }

    /// <inheritdoc/>
    public override int GateCount => 3;

    /// <inheritdoc/>
    internal override StepStrategy Strategy => ResetAfter ? StepStrategy.FusedDeferred : StepStrategy.SelfContained;

    /// <inheritdoc/>
    public override int SavedWidth => ResetAfter ? HiddenSize : 0;

    /// <inheritdoc/>
    public override void ForwardStep(int rows, Span<float> gates, Span<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c,
        RecurrentWeights weights, Span<float> scratch)
    {
        int hs = HiddenSize, g3 = 3 * hs;
        Span<float> rec = scratch.Slice(0, rows * g3);
        RecurrentProduct(rows, hPrev, weights, 0, ResetAfter ? 3 : 2, rec, g3);
        if (ResetAfter)
        {
            // One fused pass per row, 16 units at a time where AVX-512 runs, then 8; the tail goes through the same lane arithmetic, one unit at a time.
            for (int r = 0; r < rows; r++)
            {
                int j = 0;
                if (Lanes512.IsAccelerated)
                    for (; j <= hs - Lanes512.Count; j += Lanes512.Count) ForwardVector<Vector512<float>, Lanes512>(r, j, Lanes512.Count, gates, rec, saved, hPrev, h);
                for (; j <= hs - Lanes256.Count; j += Lanes256.Count) ForwardVector<Vector256<float>, Lanes256>(r, j, Lanes256.Count, gates, rec, saved, hPrev, h);
                for (; j < hs; j++) ForwardVector<Vector256<float>, Lanes256>(r, j, 1, gates, rec, saved, hPrev, h);
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            Span<float> rz = gates.Slice(r * g3, 2 * hs);
            TensorPrimitives.Add(rz, rec.Slice(r * g3, 2 * hs), rz);
            Activation.Sigmoid(rz, rz);
            TensorPrimitives.Multiply(gates.Slice(r * g3, hs), hPrev.Slice(r * hs, hs), rec.Slice(r * g3, hs));
        }
        // rec's first block now holds r*h_prev; its n block receives (r*h_prev) W_hn^T + b_hn.
        RecurrentProduct(rows, rec, weights, 2, 1, rec.Slice(2 * hs), g3, stateStride: g3);
        for (int r = 0; r < rows; r++)
        {
            Span<float> n = gates.Slice(r * g3 + 2 * hs, hs);
            TensorPrimitives.Add(n, rec.Slice(r * g3 + 2 * hs, hs), n);
            Activation.Tanh(n, n);
            Span<float> hr = h.Slice(r * hs, hs);
            // h = n + z*(h_prev - n)
            TensorPrimitives.Subtract(hPrev.Slice(r * hs, hs), n, hr);
            TensorPrimitives.MultiplyAdd(hr, gates.Slice(r * g3 + hs, hs), n, hr);
        }
    }

    /// <summary>
    /// Reset-after forward for <paramref name="count"/> (a vector's lanes, or 1 for the tail) units of row <paramref name="r"/>: r and z
    /// from the input projection plus the recurrent product, n = tanh(a_n + r*hn) with hn = W_hn h_prev + b_hn (saved for
    /// backward), h = (h_prev - n)*z + n; r, z and n are written over the gates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ForwardVector<TVector, TLanes>(int r, int j, int count, Span<float> gates, ReadOnlySpan<float> rec, Span<float> saved, ReadOnlySpan<float> hPrev, Span<float> h)
        where TVector : struct where TLanes : ILaneOps<TVector>
    {
        int hs = HiddenSize, q = r * 3 * hs, o = r * hs;
        TVector rg = Activation.Sigmoid<TVector, TLanes>(TLanes.Add(TLanes.Load(gates.Slice(q + j), count), TLanes.Load(rec.Slice(q + j), count)));
        TVector z = Activation.Sigmoid<TVector, TLanes>(TLanes.Add(TLanes.Load(gates.Slice(q + hs + j), count), TLanes.Load(rec.Slice(q + hs + j), count)));
        TVector hn = TLanes.Load(rec.Slice(q + 2 * hs + j), count);
        TVector n = Activation.Tanh<TVector, TLanes>(TLanes.Add(TLanes.Multiply(rg, hn), TLanes.Load(gates.Slice(q + 2 * hs + j), count)));
        TLanes.Store(rg, gates.Slice(q + j), count);
        TLanes.Store(z, gates.Slice(q + hs + j), count);
        TLanes.Store(n, gates.Slice(q + 2 * hs + j), count);
        TLanes.Store(hn, saved.Slice(o + j), count);
        TLanes.Store(TLanes.Add(TLanes.Multiply(TLanes.Subtract(TLanes.Load(hPrev.Slice(o + j), count), n), z), n), h.Slice(o + j), count);
    }

    /// <inheritdoc/>
    public override void BackwardStep(int rows, Span<float> gates, ReadOnlySpan<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> h, ReadOnlySpan<float> c,
        Span<float> dh, Span<float> dc, RecurrentWeights weights, Span<float> scratch)
    {
        int hs = HiddenSize, g3 = 3 * hs;
        Span<float> dRec = scratch.Slice(0, rows * g3);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gates.Slice(r * g3, g3);
            int o = r * hs, j = 0;
            if (ResetAfter)
                for (; j <= hs - Vector256<float>.Count; j += Vector256<float>.Count)
                    BackwardVector(row, dRec.Slice(r * g3, g3), j, saved.Slice(o, hs), hPrev.Slice(o, hs), dh.Slice(o, hs));
            for (; j < hs; j++)
            {
                float rg = row[j], z = row[hs + j], n = row[2 * hs + j], hp = hPrev[o + j], dhj = dh[o + j];
                float dPreN = dhj * (1f - z) * (1f - n * n);
                float dPreZ = dhj * (hp - n) * z * (1f - z);
                dh[o + j] = dhj * z;
                row[hs + j] = dPreZ;
                row[2 * hs + j] = dPreN;
                if (ResetAfter)
                {
                    float hn = saved[o + j];
                    float dPreR = dPreN * hn * rg * (1f - rg);
                    row[j] = dPreR;
                    dRec[r * g3 + j] = dPreR;
                    dRec[r * g3 + hs + j] = dPreZ;
                    dRec[r * g3 + 2 * hs + j] = dPreN * rg;
                }
                else
                {
                    // Keep r (needed below) in dRec's first block and r*h_prev in its second.
                    dRec[r * g3 + j] = rg;
                    dRec[r * g3 + hs + j] = rg * hp;
                }
            }
        }
        if (ResetAfter)
        {
            RecurrentProductBackward(rows, dRec, g3, hPrev, weights, 0, 3, dh, accumulateState: true);
            return;
        }
        // n block: pre_n = (r*h_prev) W_hn^T + b_hn; d(r*h_prev) goes to dRec's n block.
        Span<float> dRh = dRec.Slice(2 * hs);
        RecurrentProductBackward(rows, gates.Slice(2 * hs), g3, dRec.Slice(hs), weights, 2, 1, dRh, accumulateState: false,
            stateStride: g3, dStateStride: g3);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gates.Slice(r * g3, g3);
            int o = r * hs, q = r * g3;
            for (int j = 0; j < hs; j++)
            {
                float rg = dRec[q + j], drh = dRec[q + 2 * hs + j];
                row[j] = drh * hPrev[o + j] * rg * (1f - rg);
                dh[o + j] += drh * rg;
            }
        }
        RecurrentProductBackward(rows, gates, g3, hPrev, weights, 0, 2, dh, accumulateState: true);
    }

    /// <summary>Reset-after gate gradients of eight units at once, in the scalar loop's order of operations (same values).</summary>
    private static void BackwardVector(Span<float> row, Span<float> dRec, int j, ReadOnlySpan<float> saved, ReadOnlySpan<float> hPrev, Span<float> dh)
    {
        int hs = row.Length / 3;
        Vector256<float> one = Vector256<float>.One;
        Vector256<float> rg = Vector256.Create(row.Slice(j, 8)), z = Vector256.Create(row.Slice(hs + j, 8)), n = Vector256.Create(row.Slice(2 * hs + j, 8));
        Vector256<float> hp = Vector256.Create(hPrev.Slice(j, 8)), dhj = Vector256.Create(dh.Slice(j, 8)), hn = Vector256.Create(saved.Slice(j, 8));
        Vector256<float> dPreN = dhj * (one - z) * (one - n * n);
        Vector256<float> dPreZ = dhj * (hp - n) * z * (one - z);
        Vector256<float> dPreR = dPreN * hn * rg * (one - rg);
        (dhj * z).CopyTo(dh.Slice(j, 8));
        dPreR.CopyTo(row.Slice(j, 8));
        dPreZ.CopyTo(row.Slice(hs + j, 8));
        dPreN.CopyTo(row.Slice(2 * hs + j, 8));
        dPreR.CopyTo(dRec.Slice(j, 8));
        dPreZ.CopyTo(dRec.Slice(hs + j, 8));
        (dPreN * rg).CopyTo(dRec.Slice(2 * hs + j, 8));
    }
}
