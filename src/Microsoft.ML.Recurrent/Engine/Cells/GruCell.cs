using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>
/// Gated recurrent unit, gate order r, z, n; <c>h = (1-z)*n + z*h_prev</c>.
/// Reset-after (PyTorch/cuDNN): <c>n = tanh(a_n + r*(W_hn h_prev + b_hn))</c>.
/// Reset-before (the textbook formula of Cho et al.): <c>n = tanh(a_n + W_hn (r*h_prev) + b_hn)</c>.
/// </summary>
public sealed class GruCell : RecurrentCell
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
    internal override bool DefersRecurrentGradient => ResetAfter;

    /// <inheritdoc/>
    internal override bool RecurrentGradientIsGateGradient => false;

    /// <inheritdoc/>
    internal override bool AddsRecurrentProductToGates => false;

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
        for (int r = 0; r < rows; r++)
        {
            Span<float> rz = gates.Slice(r * g3, 2 * hs);
            TensorPrimitives.Add(rz, rec.Slice(r * g3, 2 * hs), rz);
            Activation.Sigmoid(rz, rz);
        }
        if (ResetAfter)
        {
            for (int r = 0; r < rows; r++)
            {
                Span<float> hn = saved.Slice(r * hs, hs);
                rec.Slice(r * g3 + 2 * hs, hs).CopyTo(hn);
                Span<float> n = gates.Slice(r * g3 + 2 * hs, hs);
                TensorPrimitives.MultiplyAdd(gates.Slice(r * g3, hs), hn, n, n);
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Multiply(gates.Slice(r * g3, hs), hPrev.Slice(r * hs, hs), rec.Slice(r * g3, hs));
            // rec's first block now holds r*h_prev; its n block receives (r*h_prev) W_hn^T + b_hn.
            RecurrentProduct(rows, rec, weights, 2, 1, rec.Slice(2 * hs), g3, stateStride: g3);
            for (int r = 0; r < rows; r++)
            {
                Span<float> n = gates.Slice(r * g3 + 2 * hs, hs);
                TensorPrimitives.Add(n, rec.Slice(r * g3 + 2 * hs, hs), n);
            }
        }
        for (int r = 0; r < rows; r++)
        {
            Span<float> n = gates.Slice(r * g3 + 2 * hs, hs);
            Activation.Tanh(n, n);
            Span<float> hr = h.Slice(r * hs, hs);
            // h = n + z*(h_prev - n)
            TensorPrimitives.Subtract(hPrev.Slice(r * hs, hs), n, hr);
            TensorPrimitives.MultiplyAdd(hr, gates.Slice(r * g3 + hs, hs), n, hr);
        }
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
            int o = r * hs;
            for (int j = 0; j < hs; j++)
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
}
