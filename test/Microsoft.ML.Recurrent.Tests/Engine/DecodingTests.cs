using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Tests.Engine;

[TestClass]
public sealed class DecodingTests
{
    [TestMethod]
    public void BioConstraintsForbidInsideTagsAfterOutsideOrAnotherType()
    {
        string[] tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];
        var c = TagConstraints.Bio(tags);
        Assert.IsFalse(c.CanFollow(0, 2), "O -> I-PER");
        Assert.IsFalse(c.CanFollow(3, 2), "B-LOC -> I-PER");
        Assert.IsTrue(c.CanFollow(1, 2), "B-PER -> I-PER");
        Assert.IsTrue(c.CanFollow(2, 2), "I-PER -> I-PER");
        Assert.IsFalse(c.CanStart(4), "I-LOC first");
        Assert.ThrowsExactly<ArgumentException>(() => TagConstraints.Bio(["O", "X-PER"]));
    }

    [TestMethod]
    public void ConstrainedViterbiNeverEmitsAnIllegalBioSequence()
    {
        string[] tags = ["O", "B-PER", "I-PER"];
        var crf = new LinearChainCrf(3);
        // Emissions strongly prefer O, I-PER, I-PER; unconstrained Viterbi returns that illegal path.
        float[] em = [5, 0, 0, 0, 0, 5, 0, 0, 5];
        CollectionAssert.AreEqual(new[] { 0, 2, 2 }, crf.Viterbi(em).Path);
        int[] path = crf.Viterbi(em, TagConstraints.Bio(tags)).Path;
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, path);
    }

    [TestMethod]
    public void BeamSearchUsesTheLanguageModelHook()
    {
        // Two frames, labels 1 and 2 nearly tied at each; the LM strongly prefers label 2.
        float[] lp = [MathF.Log(0.1f), MathF.Log(0.46f), MathF.Log(0.44f), MathF.Log(0.1f), MathF.Log(0.46f), MathF.Log(0.44f)];
        var plain = CtcDecoder.BeamSearch(lp, 3, 0, beamWidth: 8);
        CollectionAssert.AreEqual(new[] { 1 }, plain[0].Labels);
        var withLm = CtcDecoder.BeamSearch(lp, 3, 0, beamWidth: 8, (prefix, next) => next == 2 ? 0 : -5, languageModelWeight: 1);
        CollectionAssert.AreEqual(new[] { 2 }, withLm[0].Labels);
    }
}
