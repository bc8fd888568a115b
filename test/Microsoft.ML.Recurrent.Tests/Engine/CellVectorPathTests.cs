using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// LSTM and GRU cells on their fused vector gate math (no peepholes) against float64 scalar cells written out here, and
/// their gradients against finite differences. H = 16 takes the LSTM's unit-split steps and gate-interleaved row blocks;
/// H = 19 adds a 3-unit tail to two 8-unit vectors. Batches of 4 or more take the packed-GEMM steps, smaller ones the
/// matrix-vector steps.
/// </summary>
[TestClass]
public sealed class CellVectorPathTests
{
    private const int Input = 5;

    [TestMethod]
    [DataRow(CellType.Lstm, 16, new[] { 4, 3, 2, 2, 1 })]
    [DataRow(CellType.Lstm, 16, new[] { 4, 3 })]
    [DataRow(CellType.Lstm, 16, new[] { 6 })]
    [DataRow(CellType.Lstm, 19, new[] { 4, 3, 2, 2, 1 })]
    [DataRow(CellType.Gru, 16, new[] { 4, 3, 2, 2, 1 })]
    [DataRow(CellType.Gru, 19, new[] { 4, 3, 2, 2, 1 })]
    [DataRow(CellType.Gru, 19, new[] { 4, 3 })]
    public void ForwardMatchesAScalarCell(CellType cellType, int hidden, int[] lengths)
    {
        (RecurrentNetwork net, SequenceLayout layout, float[] x) = Setup(cellType, hidden, lengths);
        float[] y = new float[layout.TotalSteps * hidden];
        net.Forward(layout, x, default, default, y, default, default);
        RecurrentLayer layer = net.Layers[0];
        int gates = layer.GateCount * hidden;
        for (int b = 0; b < layout.BatchSize; b++)
        {
            double[] h = new double[hidden], c = new double[hidden];
            for (int t = 0; t < layout.Lengths[b]; t++)
            {
                int row = layout.Row(t, b);
                // Input and recurrent pre-activations kept apart: the GRU's reset gate scales the recurrent n block.
                double[] ax = new double[gates], ah = new double[gates];
                for (int g = 0; g < gates; g++)
                {
                    ax[g] = layer.BiasIh.Value[g];
                    ah[g] = layer.BiasHh.Value[g];
                    for (int i = 0; i < Input; i++) ax[g] += layer.WeightIh.Value[g * Input + i] * x[row * Input + i];
                    for (int k = 0; k < hidden; k++) ah[g] += layer.WeightHh.Value[g * hidden + k] * h[k];
                }
                double[] next = new double[hidden];
                for (int k = 0; k < hidden; k++)
                {
                    if (cellType == CellType.Lstm)
                    {
                        double ig = Sigmoid(ax[k] + ah[k]), fg = Sigmoid(ax[hidden + k] + ah[hidden + k]);
                        double gg = Math.Tanh(ax[2 * hidden + k] + ah[2 * hidden + k]), og = Sigmoid(ax[3 * hidden + k] + ah[3 * hidden + k]);
                        c[k] = fg * c[k] + ig * gg;
                        next[k] = og * Math.Tanh(c[k]);
                    }
                    else
                    {
                        double r = Sigmoid(ax[k] + ah[k]), z = Sigmoid(ax[hidden + k] + ah[hidden + k]);
                        double n = Math.Tanh(ax[2 * hidden + k] + r * ah[2 * hidden + k]);
                        next[k] = (1 - z) * n + z * h[k];
                    }
                    Assert.AreEqual(next[k], y[row * hidden + k], 2e-6, $"{cellType}: sequence {b}, step {t}, unit {k}");
                }
                h = next;
            }
        }
    }

    [TestMethod]
    [DataRow(CellType.Lstm, 16, new[] { 4, 3, 2, 2, 1 })]
    [DataRow(CellType.Lstm, 16, new[] { 4, 3 })]
    [DataRow(CellType.Gru, 19, new[] { 4, 3, 2, 2, 1 })]
    [DataRow(CellType.Gru, 19, new[] { 4, 3 })]
    public void GradientsMatchFiniteDifferences(CellType cellType, int hidden, int[] lengths)
    {
        (RecurrentNetwork net, SequenceLayout layout, float[] x) = Setup(cellType, hidden, lengths);
        float[] y = new float[layout.TotalSteps * hidden], r = Randoms(new Random(9), y.Length), dx = new float[x.Length];
        double Loss() { net.Forward(layout, x, default, default, y, default, default); return FiniteDifferences.Dot(y, r); }
        Loss();
        net.Backward(layout, x, default, default, y, r, default, default, dx, default, default);
        FiniteDifferences.Check("x", x, dx, Loss);
        foreach (Parameter p in net.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss);
    }

    private static (RecurrentNetwork, SequenceLayout, float[]) Setup(CellType cellType, int hidden, int[] sortedLengths)
    {
        var random = new Random(8);
        var net = new RecurrentNetwork(cellType, Input, hidden);
        foreach (Parameter p in net.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        SequenceLayout layout = SequenceLayout.FromSortedLengths(sortedLengths);
        return (net, layout, Randoms(random, layout.TotalSteps * Input));
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
