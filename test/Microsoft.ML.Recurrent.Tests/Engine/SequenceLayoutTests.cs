using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

[TestClass]
public sealed class SequenceLayoutTests
{
    [TestMethod]
    public void SortOrdersLongestFirstAndCountsActiveRowsPerStep()
    {
        var layout = SequenceLayout.Sort([2, 5, 3, 5], maxLength: 5, out int[] order);
        CollectionAssert.AreEqual(new[] { 1, 3, 2, 0 }, order);
        CollectionAssert.AreEqual(new[] { 5, 5, 3, 2 }, layout.Lengths.ToArray());
        CollectionAssert.AreEqual(new[] { 4, 4, 3, 2, 2 }, layout.BatchSizes.ToArray());
        Assert.AreEqual(15, layout.TotalSteps);
        Assert.AreEqual(8 + 2, layout.Row(2, 2));
    }

    [TestMethod]
    public void EmptySequencesAreRejectedNamingTheIndex()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => SequenceLayout.Sort([3, 0, 2], 5, out _));
        StringAssert.Contains(e.Message, "lengths[1] = 0");
    }

    [TestMethod]
    public void LengthsBeyondThePaddedLengthAreRejected()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => SequenceLayout.Sort([3, 7], 5, out _));
        StringAssert.Contains(e.Message, "lengths[1] = 7 exceeds the padded length 5");
    }

    [TestMethod]
    public void UnsortedLengthsAreRejectedWhenSortedOrderIsRequired()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => SequenceLayout.FromSortedLengths([2, 4]));
        StringAssert.Contains(e.Message, "lengths[1]=4 > lengths[0]=2");
    }

    [TestMethod]
    public void PackAndUnpackRoundTripAndZeroThePadding()
    {
        var layout = SequenceLayout.Sort([1, 3], 3, out int[] order);
        float[] padded = [1, 2, 9, 9, 9, 9, 3, 4, 5, 6, 7, 8]; // [B=2, T=3, F=2]
        float[] packed = new float[layout.TotalSteps * 2];
        Packing.Pack(layout, order, padded, 3, 2, packed);
        CollectionAssert.AreEqual(new float[] { 3, 4, 1, 2, 5, 6, 7, 8 }, packed);
        float[] back = new float[padded.Length];
        Packing.Unpack(layout, order, packed, 3, 2, back);
        CollectionAssert.AreEqual(new float[] { 1, 2, 0, 0, 0, 0, 3, 4, 5, 6, 7, 8 }, back);
    }
}
