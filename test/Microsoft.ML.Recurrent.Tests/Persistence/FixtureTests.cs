using System.Text.Json;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Tests.Persistence;

/// <summary>
/// Backward compatibility: a model file written by format version 1 (build/make-fixtures.cs) must keep
/// loading and give the scores it gave when it was written. Never regenerate an existing fixture to make
/// this pass; add a new one for a new format version.
/// </summary>
[TestClass]
public sealed class FixtureTests
{
    [TestMethod]
    public void VersionOneTextPipelineStillLoadsAndPredictsTheSame()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "text-pipeline-v1.json")));
        string[] sentences = [.. expected.RootElement.GetProperty("sentences").EnumerateArray().Select(e => e.GetString()!)];
        float[][] scores = [.. expected.RootElement.GetProperty("scores").EnumerateArray().Select(a => a.EnumerateArray().Select(v => v.GetSingle()).ToArray())];
        string[] predicted = [.. expected.RootElement.GetProperty("predicted").EnumerateArray().Select(e => e.GetString()!)];

        var ml = new MLContext(1);
        ITransformer model = ml.Model.LoadRecurrentModel(Path.Combine(folder, "text-pipeline-v1.mlrnn"), out DataViewSchema schema);
        CollectionAssert.AreEqual(new[] { "Text", "Label" }, schema.Select(c => c.Name).ToArray());
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(sentences.Select(s => new Row { Text = s, Label = "red" })));
        float[][] actual = [.. scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray())];
        for (int i = 0; i < sentences.Length; i++)
            for (int k = 0; k < scores[i].Length; k++)
                Assert.AreEqual(scores[i][k], actual[i][k], 1e-5f, $"'{sentences[i]}' class {k}");
        CollectionAssert.AreEqual(predicted, scored.GetColumn<ReadOnlyMemory<char>>("PredictedWord").Select(v => v.ToString()).ToArray());
    }

    /// <summary>The fixture's input row.</summary>
    public sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
