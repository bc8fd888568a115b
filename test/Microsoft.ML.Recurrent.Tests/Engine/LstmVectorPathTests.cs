using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// An LSTM on the fast paths (H a multiple of 8, no peepholes, a batch large enough for packed weights) against a
/// float64 scalar LSTM written out here, and its gradients against finite differences.
/// </summary>
[TestClass]
public sealed class LstmVectorPathTests
{
    private const int Input = 5, Hidden = 16;

    [TestMethod]
    [DataRow(new[] { 4, 3, 2, 2, 1 })]
    [DataRow(new[] { 4, 3 })]
    [DataRow(new[] { 6 })]
    public void ForwardMatchesAScalarLstm(int[] lengths)
    {
        // Five sequences take the packed-GEMM steps; one or two take the gate-interleaved matrix-vector steps.
        (RecurrentNetwork net, SequenceLayout layout, float[] x) = Setup(lengths);
        float[] y = new float[layout.TotalSteps * Hidden];
        net.Forward(layout, x, default, default, y, default, default);
        RecurrentLayer layer = net.Layers[0];
        for (int b = 0; b < layout.BatchSize; b++)
        {
            double[] h = new double[Hidden], c = new double[Hidden];
            for (int t = 0; t < layout.Lengths[b]; t++)
            {
                int row = layout.Row(t, b);
                double[] a = new double[4 * Hidden];
                for (int g = 0; g < 4 * Hidden; g++)
                {
                    double s = layer.BiasIh.Value[g] + layer.BiasHh.Value[g];
                    for (int i = 0; i < Input; i++) s += layer.WeightIh.Value[g * Input + i] * x[row * Input + i];
                    for (int k = 0; k < Hidden; k++) s += layer.WeightHh.Value[g * Hidden + k] * h[k];
                    a[g] = s;
                }
                for (int k = 0; k < Hidden; k++)
                {
                    double ig = Sigmoid(a[k]), fg = Sigmoid(a[Hidden + k]), gg = Math.Tanh(a[2 * Hidden + k]), og = Sigmoid(a[3 * Hidden + k]);
                    c[k] = fg * c[k] + ig * gg;
                    h[k] = og * Math.Tanh(c[k]);
                    Assert.AreEqual(h[k], y[row * Hidden + k], 2e-6, $"sequence {b}, step {t}, unit {k}");
                }
            }
        }
    }

    [TestMethod]
    [DataRow(new[] { 4, 3, 2, 2, 1 })]
    [DataRow(new[] { 4, 3 })]
    public void GradientsMatchFiniteDifferences(int[] lengths)
    {
        (RecurrentNetwork net, SequenceLayout layout, float[] x) = Setup(lengths);
        float[] y = new float[layout.TotalSteps * Hidden], r = Randoms(new Random(9), y.Length), dx = new float[x.Length];
        double Loss() { net.Forward(layout, x, default, default, y, default, default); return FiniteDifferences.Dot(y, r); }
        Loss();
        net.Backward(layout, x, default, default, y, r, default, default, dx, default, default);
        FiniteDifferences.Check("x", x, dx, Loss);
        foreach (Parameter p in net.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss);
    }

    private static (RecurrentNetwork, SequenceLayout, float[]) Setup(int[] sortedLengths)
    {
        var random = new Random(8);
        var net = new RecurrentNetwork(CellType.Lstm, Input, Hidden);
        foreach (Parameter p in net.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        SequenceLayout layout = SequenceLayout.FromSortedLengths(sortedLengths);
        return (net, layout, Randoms(random, layout.TotalSteps * Input));
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
