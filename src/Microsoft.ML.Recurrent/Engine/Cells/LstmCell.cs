using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>
/// Long short-term memory, gate order i, f, g, o (PyTorch). Optional peepholes (Gers and Schmidhuber):
/// <c>i = sig(a_i + p_i*c_prev)</c>, <c>f = sig(a_f + p_f*c_prev)</c>, <c>o = sig(a_o + p_o*c)</c>;
/// then <c>c = f*c_prev + i*g</c>, <c>h = o*tanh(c)</c>.
/// </summary>
internal sealed class LstmCell : RecurrentCell
{
    private readonly Parameter[] _peepholes;

    /// <summary>Creates an LSTM cell.</summary>
    /// <param name="hiddenSize">H.</param>
    /// <param name="peepholes">Whether the gates also see the cell state.</param>
    /// <param name="nameSuffix">Suffix for the peephole parameter names (e.g. <c>_l0</c>).</param>
    /// <param name="namePrefix">Prefix for the peephole parameter names.</param>
    public LstmCell(int hiddenSize, bool peepholes = false, string nameSuffix = "", string namePrefix = "") : base(hiddenSize)
    {
        _peepholes = peepholes
            ? [new Parameter(namePrefix + "peephole_i" + nameSuffix, hiddenSize), new Parameter(namePrefix + "peephole_f" + nameSuffix, hiddenSize), new Parameter(namePrefix + "peephole_o" + nameSuffix, hiddenSize)]
            : [];
    }

    /// <summary>Whether this cell has peephole connections.</summary>
    public bool HasPeepholes => _peepholes.Length > 0;

    /// <inheritdoc/>
    public override int GateCount => 4;

    /// <inheritdoc/>
    public override bool HasCellState => true;

    /// <inheritdoc/>
    public override int SavedWidth => HiddenSize;

    /// <inheritdoc/>
    internal override StepStrategy Strategy => HasPeepholes ? StepStrategy.SeparableSharedBackward : StepStrategy.Separable;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> ExtraParameters => _peepholes;

    /// <inheritdoc/>
    public override void ForwardStep(int rows, Span<float> gates, Span<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c,
        RecurrentWeights weights, Span<float> scratch)
    {
        RecurrentProduct(rows, hPrev, weights, 0, 4, gates, 4 * HiddenSize, accumulate: true);
        ForwardActivation(rows, gates, saved, cPrev, h, c, 0, HiddenSize);
    }


    /// <inheritdoc/>
    internal override void ForwardActivation(int rows, Span<float> gates, Span<float> saved, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c, int firstUnit, int unitCount)
    {
        int hs = HiddenSize, g4 = 4 * hs, end = firstUnit + unitCount;
        bool wide = Lanes512.IsAccelerated;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gates.Slice(r * g4, g4);
            int o = r * hs, j = firstUnit;
            // 16 units at a time where AVX-512 runs, then 8; the tail goes through the same lane arithmetic, one element at a time.
            if (wide)
                for (; j <= end - Lanes512.Count; j += Lanes512.Count) ForwardVector<Vector512<float>, Lanes512>(row, j, saved, cPrev, h, c, o, Lanes512.Count);
            for (; j <= end - Lanes256.Count; j += Lanes256.Count) ForwardVector<Vector256<float>, Lanes256>(row, j, saved, cPrev, h, c, o, Lanes256.Count);
            for (; j < end; j++) ForwardVector<Vector256<float>, Lanes256>(row, j, saved, cPrev, h, c, o, 1);
        }
    }

    /// <summary>
    /// One pass over <paramref name="count"/> (a vector's lanes, or 1 for the tail) units of one row: activates the four
    /// gates in place, then writes c, tanh(c) (saved for backward) and h. The same operations at every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ForwardVector<TVector, TLanes>(Span<float> row, int j, Span<float> saved, ReadOnlySpan<float> cPrev, Span<float> h, Span<float> c, int o, int count)
        where TVector : struct where TLanes : ILaneOps<TVector>
    {
        int hs = HiddenSize;
        TVector cp = TLanes.Load(cPrev.Slice(o + j), count);
        TVector ai = TLanes.Load(row.Slice(j), count), af = TLanes.Load(row.Slice(hs + j), count), ao = TLanes.Load(row.Slice(3 * hs + j), count);
        if (HasPeepholes)
        {
            ai = TLanes.MultiplyAdd(cp, TLanes.Load(_peepholes[0].Value.AsSpan(j), count), ai);
            af = TLanes.MultiplyAdd(cp, TLanes.Load(_peepholes[1].Value.AsSpan(j), count), af);
        }
        TVector i = Activation.Sigmoid<TVector, TLanes>(ai), f = Activation.Sigmoid<TVector, TLanes>(af);
        TVector g = Activation.Tanh<TVector, TLanes>(TLanes.Load(row.Slice(2 * hs + j), count));
        TVector cell = TLanes.MultiplyAdd(i, g, TLanes.Multiply(f, cp));
        if (HasPeepholes) ao = TLanes.MultiplyAdd(cell, TLanes.Load(_peepholes[2].Value.AsSpan(j), count), ao);
        TVector og = Activation.Sigmoid<TVector, TLanes>(ao), tc = Activation.Tanh<TVector, TLanes>(cell);
        TLanes.Store(i, row.Slice(j), count);
        TLanes.Store(f, row.Slice(hs + j), count);
        TLanes.Store(g, row.Slice(2 * hs + j), count);
        TLanes.Store(og, row.Slice(3 * hs + j), count);
        TLanes.Store(cell, c.Slice(o + j), count);
        TLanes.Store(tc, saved.Slice(o + j), count);
        TLanes.Store(TLanes.Multiply(og, tc), h.Slice(o + j), count);
    }

    /// <inheritdoc/>
    public override void BackwardStep(int rows, Span<float> gates, ReadOnlySpan<float> saved,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> h, ReadOnlySpan<float> c,
        Span<float> dh, Span<float> dc, RecurrentWeights weights, Span<float> scratch)
    {
        BackwardActivation(rows, gates, saved, cPrev, h, c, dh, dc);
        RecurrentProductBackward(rows, gates, 4 * HiddenSize, hPrev, weights, 0, 4, dh, accumulateState: false);
    }

    /// <inheritdoc/>
    internal override void BackwardActivation(int rows, Span<float> gates, ReadOnlySpan<float> saved, ReadOnlySpan<float> cPrev,
        ReadOnlySpan<float> h, ReadOnlySpan<float> c, ReadOnlySpan<float> dh, Span<float> dc)
    {
        int hs = HiddenSize, g4 = 4 * hs;
        bool peep = HasPeepholes;
        ReadOnlySpan<float> pi = peep ? _peepholes[0].Value : default, pf = peep ? _peepholes[1].Value : default, po = peep ? _peepholes[2].Value : default;
        Span<float> dpi = peep ? _peepholes[0].Gradient : default, dpf = peep ? _peepholes[1].Gradient : default, dpo = peep ? _peepholes[2].Gradient : default;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gates.Slice(r * g4, g4);
            int o = r * hs, j = 0;
            if (!peep)
                for (; j <= hs - Vector256<float>.Count; j += Vector256<float>.Count)
                    BackwardVector(row, j, hs, saved, c, cPrev, dh, dc, o);
            for (; j < hs; j++)
            {
                float i = row[j], f = row[hs + j], g = row[2 * hs + j], og = row[3 * hs + j];
                float cj = c[o + j], cp = cPrev[o + j], tc = saved[o + j], dhj = dh[o + j];
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
    }

    /// <summary>The gate gradients of eight hidden units at once (no peepholes); the scalar loop is the reference.</summary>
    private static void BackwardVector(Span<float> row, int j, int hs, ReadOnlySpan<float> saved, ReadOnlySpan<float> c,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> dh, Span<float> dc, int o)
    {
        Vector256<float> one = Vector256<float>.One;
        Vector256<float> i = Vector256.Create(row.Slice(j, 8)), f = Vector256.Create(row.Slice(hs + j, 8));
        Vector256<float> g = Vector256.Create(row.Slice(2 * hs + j, 8)), og = Vector256.Create(row.Slice(3 * hs + j, 8));
        Vector256<float> tc = Vector256.Create(saved.Slice(o + j, 8)), cp = Vector256.Create(cPrev.Slice(o + j, 8));
        Vector256<float> dhj = Vector256.Create(dh.Slice(o + j, 8));
        Vector256<float> dPreO = dhj * tc * og * (one - og);
        Vector256<float> dct = Vector256.Create(dc.Slice(o + j, 8)) + dhj * og * (one - tc * tc);
        (dct * f).CopyTo(dc.Slice(o + j, 8));
        (dct * g * i * (one - i)).CopyTo(row.Slice(j, 8));
        (dct * cp * f * (one - f)).CopyTo(row.Slice(hs + j, 8));
        (dct * i * (one - g * g)).CopyTo(row.Slice(2 * hs + j, 8));
        dPreO.CopyTo(row.Slice(3 * hs + j, 8));
    }
}
