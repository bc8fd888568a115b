namespace Microsoft.ML.Recurrent.Tests.Evaluation;

[TestClass]
public sealed class TranscriptVotingTests
{
    [TestMethod]
    public void MajorityReplacesThePivotsWordWhereTwoOfThreeAgree() =>
        Assert.AreEqual("four one nine", TranscriptVoting.Combine(["four one five", "four one nine", "four seven nine"]));

    [TestMethod]
    public void TiesGoToThePivot() =>
        Assert.AreEqual("two eight", TranscriptVoting.Combine(["two eight", "zero three"]));

    [TestMethod]
    public void DeletionsAndInsertionsAreVotedToo()
    {
        // Two of three drop "six": it goes. Two of three insert "five" after "one": it stays. One inserts "two": it does not.
        Assert.AreEqual("one five", TranscriptVoting.Combine(["one six", "one five", "two one five"]));
        Assert.AreEqual("three three", TranscriptVoting.Combine(["three", "three three", "three  three"]));
    }

    [TestMethod]
    public void OneTranscriptComesBackNormalized() =>
        Assert.AreEqual("seven four", TranscriptVoting.Combine(["  seven   four "]));

    [TestMethod]
    public void NoTranscriptsIsAnError()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => TranscriptVoting.Combine([]));
        StringAssert.Contains(error.Message, "no transcripts");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TranscriptVoting.Combine(["one", null!])).Message, "Transcript 1 is null");
    }
}
