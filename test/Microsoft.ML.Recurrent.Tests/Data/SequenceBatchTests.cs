using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Data;

/// <summary>One batch type packs what every task family trains on.</summary>
[TestClass]
public sealed class SequenceBatchTests
{
    [TestMethod]
    public void PerStepLabelsSitOnTheInputLayout()
    {
        // A tagger's rows: a tag per token.
        SequenceExample[] examples =
        [
            new(0, 2, [1, 2], null, 0, [10, 20]),
            new(1, 3, [3, 4, 5], null, 0, [30, 40, 50]),
            new(2, 1, [6], null, 0, [60]),
        ];
        var batch = new SequenceBatch();
        batch.Fill(examples, 1);
        CollectionAssert.AreEqual(new[] { 1, 0, 2 }, batch.Order.ToArray(), "sorted longest first");
        for (int b = 0; b < 3; b++)
        {
            SequenceExample example = examples[batch.Order[b]];
            for (int t = 0; t < example.Length; t++)
            {
                Assert.AreEqual(example.Ids![t], batch.Ids[batch.Layout.Row(t, b)]);
                Assert.AreEqual(example.Labels![t], batch.StepLabels[batch.Layout.Row(t, b)]);
            }
        }
    }

    [TestMethod]
    public void LabelSequencesOfTheirOwnLengthGetTheirOwnLayout()
    {
        // CTC transcripts or seq2seq targets: lengths unrelated to the input's, an empty one included.
        SequenceExample[] examples =
        [
            new(0, 4, null, new float[8], 0, [7]),
            new(1, 2, null, new float[4], 0, [8, 9, 10]),
            new(2, 3, null, new float[6], 0, []),
        ];
        var batch = new SequenceBatch();
        batch.Fill(examples, 2);
        Assert.ThrowsExactly<InvalidOperationException>(() => batch.StepLabels.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 2, 1 }, batch.Order.ToArray());
        Assert.HasCount(3, batch.LabelSequences);
        CollectionAssert.AreEqual(new[] { 8, 9, 10 }, batch.LabelSequences[2], "label sequences follow the input's sorted order");
        Assert.AreEqual(2, batch.LabelLayout.BatchSize, "the empty sequence has no place in the label layout");
        CollectionAssert.AreEqual(new[] { 2, 0 }, batch.LabelOrder.ToArray(), "label-sorted position -> input-sorted position");
        CollectionAssert.AreEqual(new[] { 8, 7, 9, 10 }, batch.Labels.ToArray(), "packed time-major: step 0 of both, then the longer one's steps");
    }
}
