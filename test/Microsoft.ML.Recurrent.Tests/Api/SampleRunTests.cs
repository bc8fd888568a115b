using System.Reflection;

namespace Microsoft.ML.Recurrent.Tests.Api;

/// <summary>The quick samples, run as a user runs them with no flags (on the data they ship or generate): each must exit 0.</summary>
[TestClass]
[DoNotParallelize]
public sealed class SampleRunTests
{
    [TestMethod]
    [DataRow("QuickStart")]
    [DataRow("TextGeneration")]
    [DataRow("AssociativeMemory")]
    public void ASampleRunsToTheEndWithoutFlags(string sample)
    {
        string output = Run(sample);
        Assert.IsGreaterThan(200, output.Length, $"{sample} reports what it did");
    }

    [TestMethod]
    public void TheSeq2SeqSampleWritesItsMetricsAndOnePredictionPerDistinctTestSource()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"seq2seq-sample-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string metrics = Path.Combine(folder, "metrics.json"), predictions = Path.Combine(folder, "predictions.tsv");
            string output = Run("Seq2Seq", "--epochs", "1", "--metrics", metrics, "--predictions", predictions);
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(metrics));
            double exact = json.RootElement.GetProperty("exact_match").GetDouble();
            Assert.IsGreaterThan(0.2, exact, $"one epoch already normalizes some dates:\n{output}");
            string[] lines = File.ReadAllLines(predictions);
            Assert.AreEqual(json.RootElement.GetProperty("test_sources").GetInt32(), lines.Length);
            Assert.IsTrue(lines.All(l => l.Split('\t').Length == 2), "source<TAB>prediction lines");
            StringAssert.Contains(output, "Examples:");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static string Run(string sample, params string[] args)
    {
        MethodInfo entry = Assembly.Load(sample).EntryPoint ?? throw new InvalidOperationException($"{sample} has no entry point.");
        TextWriter console = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        object? status;
        try
        {
            status = entry.Invoke(null, [args]);
        }
        finally
        {
            Console.SetOut(console);
        }
        Assert.AreEqual(0, status, $"{sample} printed:\n{output}");
        return output.ToString();
    }
}
