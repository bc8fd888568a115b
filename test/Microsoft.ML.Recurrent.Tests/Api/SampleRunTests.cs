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

    [TestMethod]
    public void TheForecastingSampleComparesWithItsBaselinesAndRollsOutThePendulum()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"forecasting-sample-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string metrics = Path.Combine(folder, "metrics.json");
            string output = Run("Forecasting", "--epochs", "10", "--ensemble", "2", "--metrics", metrics, "--plots", folder);
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(metrics));
            foreach (string key in new[] { "rmse", "seasonal_naive_rmse", "lag_trees_rmse", "interval_coverage", "pendulum_rollout_rmse" })
                Assert.IsTrue(double.IsFinite(json.RootElement.GetProperty(key).GetDouble()), $"{key} is reported:\n{output}");
            Assert.IsLessThan(json.RootElement.GetProperty("seasonal_naive_rmse").GetDouble(), json.RootElement.GetProperty("rmse").GetDouble(),
                $"ten epochs already beat seasonal naive on the generated series:\n{output}");
            StringAssert.Contains(output, "FastTree on lag features");
            foreach (string png in new[] { "forecast.png", "pendulum.png", "training-curves.png" })
                Assert.IsTrue(File.Exists(Path.Combine(folder, png)), $"{png} is drawn");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestMethod]
    public void TheSpeechDigitsSampleTranscribesAndWritesItsMetrics()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"speech-sample-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string metrics = Path.Combine(folder, "metrics.json"), predictions = Path.Combine(folder, "predictions.tsv");
            string output = Run("SpeechDigits", "--epochs", "1", "--utterances", "160", "--test-utterances", "20", "--hidden", "32", "--layers", "1",
                "--ensemble", "2", "--vote-speeds", "0.9,1.1", "--model", Path.Combine(folder, "model.zip"), "--metrics", metrics, "--predictions", predictions, "--plots", folder);
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(metrics));
            foreach (string key in new[] { "wer", "cer", "greedy_wer", "real_time_factor" })
                Assert.IsTrue(double.IsFinite(json.RootElement.GetProperty(key).GetDouble()), $"{key} is reported:\n{output}");
            string[] lines = File.ReadAllLines(predictions);
            Assert.HasCount(20, lines);
            Assert.IsTrue(lines.All(l => l.Split('\t') is [var id, _, _] && id.Contains('_')), "utterance-id<TAB>reference<TAB>hypothesis, ids made of clip names");
            StringAssert.Contains(output, "Ensemble member 2: WER");
            StringAssert.Contains(output, "Voted over 2 recognizers x the original and speeds 0.9,1.1");
            Assert.IsTrue(File.Exists(Path.Combine(folder, "spikes.png")), "the spectrogram with the CTC spikes is drawn");
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
