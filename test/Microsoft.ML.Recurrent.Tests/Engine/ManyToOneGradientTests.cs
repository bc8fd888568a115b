using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>Finite-difference checks of sequence pooling, binary cross-entropy and a whole many-to-one network with an embedding.</summary>
[TestClass]
public sealed class ManyToOneGradientTests
{
    [TestMethod]
    [DataRow(SequencePooling.LastState, 1)]
    [DataRow(SequencePooling.LastState, 2)]
    [DataRow(SequencePooling.Max, 2)]
    [DataRow(SequencePooling.Mean, 1)]
    public void PoolingGradientsMatchFiniteDifferences(SequencePooling kind, int directions)
    {
        var random = new Random(4);
        SequenceLayout layout = SequenceLayout.FromSortedLengths([4, 3, 1]);
        const int width = 6;
        var pooler = new SequencePooler(kind, directions);
        float[] rows = Randoms(random, layout.TotalSteps * width), r = Randoms(random, 3 * width), pooled = new float[3 * width];
        double Loss() { pooler.Forward(layout, rows, width, pooled); return FiniteDifferences.Dot(pooled, r); }
        Loss();
        float[] dRows = new float[rows.Length];
        pooler.Backward(layout, r, width, dRows);
        FiniteDifferences.Check("rows", rows, dRows, Loss, samples: rows.Length, eps: 1e-3f);
    }

    [TestMethod]
    public void LastStatePoolingTakesEachDirectionsFinalStep()
    {
        SequenceLayout layout = SequenceLayout.FromSortedLengths([2, 1]);
        // Rows in packed order: (t0,b0), (t0,b1), (t1,b0); width 2 = forward | reverse.
        float[] rows = [1, 10, 2, 20, 3, 30], pooled = new float[4];
        new SequencePooler(SequencePooling.LastState, 2).Forward(layout, rows, 2, pooled);
        CollectionAssert.AreEqual(new float[] { 3, 10, 2, 20 }, pooled);
    }

    [TestMethod]
    public void BinaryCrossEntropyMatchesItsDefinitionAndGradient()
    {
        float[] z = [-30f, -1f, 0.5f, 40f], y = [0, 1, 1, 1], g = new float[4];
        double loss = BinaryCrossEntropy.Compute(z, y, g);
        double expected = (Math.Log(1 + Math.Exp(-30)) + Math.Log(1 + Math.Exp(1)) + Math.Log(1 + Math.Exp(-0.5)) + Math.Log(1 + Math.Exp(-40))) / 4;
        Assert.AreEqual(expected, loss, 1e-7);
        FiniteDifferences.Check("z", z, g, () => BinaryCrossEntropy.Compute(z, y, default), eps: 1e-3f);
        Assert.ThrowsExactly<ArgumentException>(() => BinaryCrossEntropy.Compute([0f], [2f], default));
    }

    [TestMethod]
    public void EmbeddedBidirectionalNetworkGradientsMatchFiniteDifferences()
    {
        var architecture = new ManyToOneArchitecture(CellType.Gru, InputSize: 3, HiddenSize: 4, OutputSize: 2)
        {
            VocabularySize = 6, NumLayers = 2, Bidirectional = true, Pooling = SequencePooling.Mean,
        };
        var network = new ManyToOneNetwork(architecture, new Random(5));
        SequenceLayout layout = SequenceLayout.FromSortedLengths([3, 2]);
        int[] ids = [1, 5, 0, 2, 4];
        float[] r = Randoms(new Random(6), 4);
        double Loss() => FiniteDifferences.Dot(network.Forward(layout, ids), r);
        Loss();
        network.Backward(r);
        foreach (Parameter p in network.Parameters)
            FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss, samples: 12);
    }

    [TestMethod]
    public void CloneCopiesValuesButNotWorkspaces()
    {
        var network = new ManyToOneNetwork(CellType.Lstm, 2, 3, 1, seed: 2);
        ManyToOneNetwork copy = network.Clone();
        SequenceLayout layout = SequenceLayout.FromSortedLengths([2]);
        float[] x = [0.1f, 0.2f, -0.3f, 0.4f];
        float expected = network.Forward(layout, x)[0];
        Assert.AreEqual(expected, copy.Forward(layout, x)[0]);
        network.Parameters[0].Value[0] += 1f;
        Assert.AreEqual(expected, copy.Forward(layout, x)[0]);
    }
}
