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
        var withLm = CtcDecoder.BeamSearch(lp, 3, 0, beamWidth: 8, new PreferLabel(2));
        CollectionAssert.AreEqual(new[] { 2 }, withLm[0].Labels);
        Assert.AreEqual(plain.Single(h => h.Labels.SequenceEqual(new[] { 2 })).LogScore, withLm[0].LogScore, 1e-9, "the preferred label costs nothing; the finish score is added");
    }

    /// <summary>A scorer that charges 5 nats for any label but one, and nothing to finish.</summary>
    private sealed class PreferLabel(int preferred) : ICtcPrefixScorer<int>
    {
        public int Start() => 0;

        public double Extend(int state, int label, out int next)
        {
            next = state + 1;
            return label == preferred ? 0 : -5;
        }

        public double Finish(int state) => 0;
    }

    [TestMethod]
    public void ForcedAlignmentPlacesEachLabelAtTheFirstFrameOfItsRun()
    {
        // Classes: 0 blank, 1, 2. Frames: blank, 1, 1, blank, 2, 2, blank; the alignment of [1, 2] starts them at frames 1 and 4.
        int[] best = [0, 1, 1, 0, 2, 2, 0];
        float[] lp = [.. best.SelectMany(b => Enumerable.Range(0, 3).Select(c => MathF.Log(c == b ? 0.8f : 0.1f)))];
        CollectionAssert.AreEqual(new[] { 1, 4 }, CtcDecoder.Align(lp, 3, 0, [1, 2]));
        // A repeated label needs the blank between its copies: [1, 1] on these frames puts the second copy after frame 2.
        int[] repeated = CtcDecoder.Align(lp, 3, 0, [1, 1]);
        Assert.AreEqual(1, repeated[0]);
        Assert.IsGreaterThan(2, repeated[1]);
        Assert.ThrowsExactly<ArgumentException>(() => CtcDecoder.Align(lp[..6], 3, 0, [1, 1, 1]), "three copies of one label need five frames");
    }
}
