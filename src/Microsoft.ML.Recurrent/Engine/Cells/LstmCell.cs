using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>
/// Long short-term memory, gate order i, f, g, o (PyTorch). Optional peepholes (Gers and Schmidhuber):
/// <c>i = sig(a_i + p_i*c_prev)</c>, <c>f = sig(a_f + p_f*c_prev)</c>, <c>o = sig(a_o + p_o*c)</c>;
/// then <c>c = f*c_prev + i*g</c>, <c>h = o*tanh(c)</c>.
/// </summary>
public sealed class LstmCell : RecurrentCell
{
    private readonly Parameter[] _peepholes;

    /// <summary>Creates an LSTM cell.</summary>
    /// <param name="hiddenSize">H.</param>
    /// <param name="peepholes">Whether the gates also see the cell state.</param>
    /// <param name="nameSuffix">Suffix for the peephole parameter names (e.g. <c>_l0</c>).</param>
    public LstmCell(int hiddenSize, bool peepholes = false, string nameSuffix = "") : base(hiddenSize)
    {
        _peepholes = peepholes
            ? [new Parameter("peephole_i" + nameSuffix, hiddenSize), new Parameter("peephole_f" + nameSuffix, hiddenSize), new Parameter("peephole_o" + nameSuffix, hiddenSize)]
            : [];
    }

    /// <summary>Whether this cell has peephole connections.</summary>
    public bool HasPeepholes => _peepholes.Length > 0;

    /// <inheritdoc/>
    public override int GateCount => 4;

    /// <inheritdoc/>
    public override bool HasCellState => true;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> ExtraParameters => _peepholes;

    /// <inheritdoc/>
    public override void ForwardStep(int rows, Span<float> gates, Span<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c,
        RecurrentWeights weights, Span<float> scratch)
    {
        int hs = HiddenSize, g4 = 4 * hs;
        Span<float> rec = scratch.Slice(0, rows * g4);
        RecurrentProduct(rows, hPrev, weights, 0, 4, rec, g4);
        TensorPrimitives.Add(gates.Slice(0, rows * g4), rec, gates.Slice(0, rows * g4));
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gates.Slice(r * g4, g4);
            Span<float> gi = row.Slice(0, hs), gf = row.Slice(hs, hs), gg = row.Slice(2 * hs, hs), go = row.Slice(3 * hs, hs);
            ReadOnlySpan<float> cp = cPrev.Slice(r * hs, hs);
            Span<float> cr = c.Slice(r * hs, hs), hr = h.Slice(r * hs, hs);
            if (HasPeepholes)
            {
                TensorPrimitives.MultiplyAdd(cp, _peepholes[0].Value, gi, gi);
                TensorPrimitives.MultiplyAdd(cp, _peepholes[1].Value, gf, gf);
            }
            TensorPrimitives.Sigmoid(gi, gi);
            TensorPrimitives.Sigmoid(gf, gf);
            TensorPrimitives.Tanh(gg, gg);
            TensorPrimitives.Multiply(gf, cp, cr);
            TensorPrimitives.MultiplyAdd(gi, gg, cr, cr);
            if (HasPeepholes) TensorPrimitives.MultiplyAdd(cr, _peepholes[2].Value, go, go);
            TensorPrimitives.Sigmoid(go, go);
            TensorPrimitives.Tanh(cr, hr);
            TensorPrimitives.Multiply(hr, go, hr);
        }
    }

    /// <inheritdoc/>
    public override void BackwardStep(int rows, Span<float> gates, ReadOnlySpan<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> h, ReadOnlySpan<float> c,
        Span<float> dh, Span<float> dc, RecurrentWeights weights, Span<float> scratch)
    {
        int hs = HiddenSize, g4 = 4 * hs;
        bool peep = HasPeepholes;
        ReadOnlySpan<float> pi = peep ? _peepholes[0].Value : default, pf = peep ? _peepholes[1].Value : default, po = peep ? _peepholes[2].Value : default;
        Span<float> dpi = peep ? _peepholes[0].Gradient : default, dpf = peep ? _peepholes[1].Gradient : default, dpo = peep ? _peepholes[2].Gradient : default;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gates.Slice(r * g4, g4);
            int o = r * hs;
            for (int j = 0; j < hs; j++)
            {
                float i = row[j], f = row[hs + j], g = row[2 * hs + j], og = row[3 * hs + j];
                float cj = c[o + j], cp = cPrev[o + j], tc = MathF.Tanh(cj), dhj = dh[o + j];
                float dPreO = dhj * tc * og * (1f - og);
                float dct = dc[o + j] + dhj * og * (1f - tc * tc);
                if (peep) { dct += dPreO * po[j]; dpo[j] += dPreO * cj; }
                float dPreI = dct * g * i * (1f - i);
                float dPreF = dct * cp * f * (1f - f);
                float dPreG = dct * i * (1f - g * g);
                float dcp = dct * f;
                if (peep)
                {
                    dcp += dPreI * pi[j] + dPreF * pf[j];
                    dpi[j] += dPreI * cp;
                    dpf[j] += dPreF * cp;
                }
                dc[o + j] = dcp;
                row[j] = dPreI; row[hs + j] = dPreF; row[2 * hs + j] = dPreG; row[3 * hs + j] = dPreO;
            }
        }
        RecurrentProductBackward(rows, gates, g4, hPrev, weights, 0, 4, dh, accumulateState: false);
    }
}
