using Microsoft.ML.Recurrent.Conformance;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>Every case of the PyTorch reference set, per family, through the conformance runner.</summary>
[TestClass]
public sealed class ConformanceTests
{
    private static readonly Lazy<List<CaseResult>> Results = new(() => ConformanceRunner.Run(TestPaths.GoldenDev));

    [TestMethod]
    [DataRow("rnn")]
    [DataRow("custom_cells")]
    [DataRow("optim")]
    [DataRow("clip")]
    [DataRow("ctc")]
    [DataRow("ctc_map")]
    [DataRow("crf")]
    [DataRow("audio")]
    public void EveryCaseOfTheFamilyMatchesPyTorch(string family)
    {
        var cases = Results.Value.Where(r => r.Family == family).ToList();
        Assert.IsNotEmpty(cases, $"golden-dev.json has no '{family}' cases.");
        foreach (var r in cases) Assert.IsTrue(r.Passed, $"{r.Family}/{r.Name}: {r.Detail}");
    }

    private static readonly Lazy<List<CaseResult>> TaggingResults = new(() => ConformanceRunner.Run(TestPaths.GoldenDevTagging));

    [TestMethod]
    [DataRow("crf_constrained")]
    [DataRow("conv1d")]
    public void EveryTaggingCaseOfTheFamilyMatchesPyTorch(string family)
    {
        var cases = TaggingResults.Value.Where(r => r.Family == family).ToList();
        Assert.IsNotEmpty(cases, $"golden-dev-tagging.json has no '{family}' cases.");
        foreach (var r in cases) Assert.IsTrue(r.Passed, $"{r.Family}/{r.Name}: {r.Detail}");
    }

    [TestMethod]
    public void EveryAttentionCaseMatchesPyTorch()
    {
        var cases = ConformanceRunner.Run(TestPaths.GoldenDevSeq2Seq).Where(r => r.Family == "attention").ToList();
        Assert.IsNotEmpty(cases, "golden-dev-seq2seq.json has no 'attention' cases.");
        foreach (var r in cases) Assert.IsTrue(r.Passed, $"{r.Family}/{r.Name}: {r.Detail}");
    }

    [TestMethod]
    [DataRow("conv2d")]
    [DataRow("batchnorm")]
    public void EverySpeechCaseOfTheFamilyMatchesPyTorch(string family)
    {
        var cases = ConformanceRunner.Run(TestPaths.GoldenDevSpeech).Where(r => r.Family == family).ToList();
        Assert.IsNotEmpty(cases, $"golden-dev-speech.json has no '{family}' cases.");
        foreach (var r in cases) Assert.IsTrue(r.Passed, $"{r.Family}/{r.Name}: {r.Detail}");
    }

    [TestMethod]
    public void AMissingReferenceFileIsReportedByName()
    {
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => ConformanceRunner.Run("no-such-reference.json"));
        StringAssert.Contains(e.Message, "no-such-reference.json");
    }

    [TestMethod]
    public void AFileWithoutCasesIsRejectedAsNotAReference()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"set\": \"x\"}");
            var e = Assert.ThrowsExactly<FormatException>(() => ConformanceRunner.Run(path));
            StringAssert.Contains(e.Message, "no 'cases' object");
            File.WriteAllText(path, "{ not json");
            e = Assert.ThrowsExactly<FormatException>(() => ConformanceRunner.Run(path));
            StringAssert.Contains(e.Message, "not valid JSON");
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void AnUnknownFamilyCountsAsFailed()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"cases\": {\"teleport\": [{\"name\": \"a\"}]}}");
            var result = ConformanceRunner.Run(path).Single();
            Assert.IsFalse(result.Passed);
            Assert.AreEqual("unknown family", result.Detail);
        }
        finally { File.Delete(path); }
    }
}
