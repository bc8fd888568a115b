using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Tensors;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>Finite-difference checks of the non-recurrent layers and the losses.</summary>
[TestClass]
public sealed class LayerGradientTests
{
    [TestMethod]
    public void DenseGradientsMatchFiniteDifferences()
    {
        var random = new Random(1);
        var dense = new Dense(5, 3);
        foreach (var p in dense.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        float[] x = Randoms(random, 4 * 5), r = Randoms(random, 4 * 3), y = new float[12];
        double Loss() { dense.Forward(4, x, y); return FiniteDifferences.Dot(y, r); }
        Loss();
        float[] dx = new float[x.Length];
        dense.Backward(4, x, r, dx);
        FiniteDifferences.Check("x", x, dx, Loss);
        FiniteDifferences.Check("weight", dense.Weight.Value, dense.Weight.Gradient.ToArray(), Loss);
        FiniteDifferences.Check("bias", dense.Bias.Value, dense.Bias.Gradient.ToArray(), Loss);
    }

    [TestMethod]
    public void LayerNormGradientsMatchFiniteDifferences()
    {
        var random = new Random(2);
        var norm = new LayerNorm(6);
        Randoms(random, 6).CopyTo(norm.Weight.Value, 0);
        Randoms(random, 6).CopyTo(norm.Bias.Value, 0);
        float[] x = Randoms(random, 3 * 6), r = Randoms(random, 18), y = new float[18];
        double Loss() { norm.Forward(3, x, y); return FiniteDifferences.Dot(y, r); }
        Loss();
        float[] dx = new float[18];
        norm.Backward(3, x, r, dx);
        FiniteDifferences.Check("x", x, dx, Loss);
        FiniteDifferences.Check("weight", norm.Weight.Value, norm.Weight.Gradient.ToArray(), Loss);
        FiniteDifferences.Check("bias", norm.Bias.Value, norm.Bias.Gradient.ToArray(), Loss);
    }

    [TestMethod]
    public void Conv2dWithStrideAndPaddingGradientsMatchFiniteDifferences()
    {
        var random = new Random(3);
        var conv = new Conv2d(2, 3, kernel: (3, 2), stride: (2, 1), padding: (1, 1));
        foreach (var p in conv.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        const int h = 7, w = 4;
        var (oh, ow) = conv.OutputSize(h, w);
        Assert.AreEqual((4, 5), (oh, ow));
        float[] x = Randoms(random, 2 * h * w), r = Randoms(random, 3 * oh * ow), y = new float[r.Length];
        double Loss() { conv.Forward(x, h, w, y); return FiniteDifferences.Dot(y, r); }
        Loss();
        float[] dx = new float[x.Length];
        conv.Backward(x, h, w, r, dx);
        FiniteDifferences.Check("x", x, dx, Loss);
        FiniteDifferences.Check("weight", conv.Weight.Value, conv.Weight.Gradient.ToArray(), Loss);
        FiniteDifferences.Check("bias", conv.Bias.Value, conv.Bias.Gradient.ToArray(), Loss);
    }

    [TestMethod]
    public void Conv1dComputesAPaddedStridedCorrelation()
    {
        var conv = new Conv1d(1, 1, kernel: 3, stride: 2, padding: 1);
        float[] kernel = [1, 2, 3];
        kernel.CopyTo(conv.Weight.Value, 0);
        conv.Bias.Value[0] = 0.5f;
        float[] y = new float[conv.OutputLength(5)];
        conv.Forward([1, 1, 1, 1, 1], 5, y);
        // Taps at -1..1, 1..3, 3..5 with zeros outside: 2+3, 1+2+3, 1+2.
        CollectionAssert.AreEqual(new[] { 5.5f, 6.5f, 3.5f }, y);
    }

    [TestMethod]
    public void EmbeddingGradientAccumulatesRepeatedIdsAndRejectsUnknownIds()
    {
        var emb = new Embedding(4, 2);
        float[] dOut = [1, 2, 3, 4, 5, 6];
        emb.Backward([1, 3, 1], dOut);
        CollectionAssert.AreEqual(new float[] { 0, 0, 6, 8, 0, 0, 3, 4 }, emb.Weight.Gradient);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => emb.Forward([0, 4], new float[4]));
        StringAssert.Contains(e.Message, "ids[1] = 4 is outside the vocabulary [0, 4)");
    }

    [TestMethod]
    public void VariationalDropoutSharesOneMaskAcrossTheStepsOfASequence()
    {
        var layout = SequenceLayout.FromSortedLengths([6, 6, 3]);
        var dropout = new Dropout(0.5f, variational: true);
        float[] x = Enumerable.Repeat(1f, layout.TotalSteps * 8).ToArray(), y = new float[x.Length];
        dropout.Forward(layout, x, 8, y, training: true, new Random(4));
        for (int b = 0; b < 3; b++)
            for (int t = 1; t < layout.Lengths[b]; t++)
                CollectionAssert.AreEqual(y.AsSpan(layout.Row(0, b) * 8, 8).ToArray(), y.AsSpan(layout.Row(t, b) * 8, 8).ToArray());
        CollectionAssert.IsSubsetOf(y.Distinct().ToArray(), new[] { 0f, 2f });
        float[] dx = new float[x.Length];
        dropout.Backward(x, dx);
        CollectionAssert.AreEqual(y, dx);
        dropout.Forward(layout, x, 8, y, training: false, new Random(4));
        CollectionAssert.AreEqual(x, y);
    }

    [TestMethod]
    public void StandardDropoutKeepsTheExpectedValue()
    {
        var layout = SequenceLayout.FromSortedLengths([100, 100]);
        var dropout = new Dropout(0.3f);
        float[] x = Enumerable.Repeat(1f, layout.TotalSteps * 50).ToArray(), y = new float[x.Length];
        dropout.Forward(layout, x, 50, y, training: true, new Random(5));
        Assert.AreEqual(1.0, y.Average(), 0.03);
        Assert.AreEqual(0.3, y.Count(v => v == 0) / (double)y.Length, 0.02);
    }

    [TestMethod]
    public void SoftmaxCrossEntropyGradientMatchesFiniteDifferencesAndMasksIgnoredRows()
    {
        var random = new Random(6);
        float[] logits = Randoms(random, 4 * 5), grad = new float[20];
        int[] labels = [2, -1, 0, 4];
        double loss = SoftmaxCrossEntropy.Compute(logits, 5, labels, grad);
        Assert.IsTrue(loss > 0);
        CollectionAssert.AreEqual(new float[5], grad.AsSpan(5, 5).ToArray(), "an ignored row gets no gradient");
        FiniteDifferences.Check("logits", logits, grad, () => SoftmaxCrossEntropy.Compute(logits, 5, labels, default));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.Compute(logits, 5, [0, 1, 7, 2], default));
        StringAssert.Contains(e.Message, "labels[2] = 7 is outside the class range [0, 5)");
    }

    [TestMethod]
    public void LabelSmoothingSpreadsTheTargetAsPyTorchDoes()
    {
        // log-softmax([1, 0, -1]) = [-0.40761, -1.40761, -2.40761]; target (0.7 + 0.1, 0.1, 0.1) with e = 0.3 gives 0.70761.
        Assert.AreEqual(0.707606, SoftmaxCrossEntropy.Compute([1f, 0f, -1f], 3, [0], default, labelSmoothing: 0.3f), 1e-5);
        var random = new Random(16);
        float[] logits = Randoms(random, 3 * 6), grad = new float[18];
        int[] labels = [5, 0, -1];
        SoftmaxCrossEntropy.Compute(logits, 6, labels, grad, labelSmoothing: 0.1f);
        FiniteDifferences.Check("logits", logits, grad, () => SoftmaxCrossEntropy.Compute(logits, 6, labels, default, labelSmoothing: 0.1f));
        CollectionAssert.AreEqual(new float[6], grad.AsSpan(12, 6).ToArray(), "an ignored row stays without gradient");
    }

    [TestMethod]
    public void MeanSquaredErrorGradientMatchesFiniteDifferences()
    {
        var random = new Random(7);
        float[] y = Randoms(random, 9), target = Randoms(random, 9), grad = new float[9];
        MeanSquaredError.Compute(y, target, grad);
        FiniteDifferences.Check("y", y, grad, () => MeanSquaredError.Compute(y, target, default));
    }

    [TestMethod]
    public void CtcGradientMatchesFiniteDifferencesWithRepeatsAndANonZeroBlank()
    {
        var random = new Random(8);
        float[] logits = Randoms(random, 9 * 4), grad = new float[36];
        int[] target = [1, 1, 0];
        CtcLoss.Compute(logits, 4, target, blank: 3, zeroInfinity: false, grad);
        FiniteDifferences.Check("logits", logits, grad, () => CtcLoss.Compute(logits, 4, target, 3, false, default));
    }

    [TestMethod]
    public void CtcRejectsTargetsContainingTheBlankOrOutOfRange()
    {
        float[] logits = new float[3 * 4];
        var e = Assert.ThrowsExactly<ArgumentException>(() => CtcLoss.Compute(logits, 4, [1, 0], 0, false, default));
        StringAssert.Contains(e.Message, "target[1] is the blank index 0");
        var r = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CtcLoss.Compute(logits, 4, [5], 0, false, default));
        StringAssert.Contains(r.Message, "target[0] = 5 is outside the class range [0, 4)");
    }

    [TestMethod]
    public void CrfGradientsMatchFiniteDifferences()
    {
        var random = new Random(9);
        var crf = new LinearChainCrf(4);
        foreach (var p in crf.Parameters) Randoms(random, p.Size).CopyTo(p.Value, 0);
        float[] em = Randoms(random, 5 * 4), dEm = new float[20];
        int[] tags = [0, 3, 3, 1, 2];
        crf.LogLikelihood(em, tags, 1f, dEm);
        double Loss() => crf.LogLikelihood(em, tags, 0f, default);
        FiniteDifferences.Check("emissions", em, dEm, Loss);
        foreach (var p in crf.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss);
    }
}
