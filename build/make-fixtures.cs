#:project ../src/Microsoft.ML.Recurrent/Microsoft.ML.Recurrent.csproj
#:property PublishAot=false
// Writes the backward-compatibility fixture: a small text pipeline (ML.NET tokenizer and key maps around a
// bidirectional recurrent multiclass model) saved in the current model format, plus the scores it gives
// on fixed sentences. Run once per format version: dotnet run build/make-fixtures.cs
// Later versions of the library must keep loading the committed file and reproduce those scores.
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Sequences;

string folder = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "../test/Microsoft.ML.Recurrent.Tests/Fixtures");
var ml = new MLContext(seed: 1);
string[] colors = ["red", "green", "blue"], filler = ["the", "a", "car", "is", "very", "nice"];
var random = new Random(1);
var rows = Enumerable.Range(0, 120).Select(_ =>
{
    string label = colors[random.Next(3)];
    return new Row { Text = label + " " + string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => filler[random.Next(filler.Length)])), Label = label };
}).ToArray();
IDataView data = ml.Data.LoadFromEnumerable(rows);
ITransformer model = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
    .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
    .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
    .Append(ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 4, EmbeddingSize = 3, NumberOfEpochs = 3, Bidirectional = true }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedWord", "PredictedLabel"))
    .Fit(data);
Directory.CreateDirectory(folder);
ml.Model.SaveRecurrentModel(model, data.Schema, Path.Combine(folder, "text-pipeline-v1.mlrnn"));
string[] sentences = ["red car", "green is very nice", "blue the a", "unknown words only"];
IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(sentences.Select(s => new Row { Text = s, Label = "red" })));
var expected = new
{
    sentences,
    scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray(),
    predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedWord").Select(v => v.ToString()).ToArray(),
};
File.WriteAllText(Path.Combine(folder, "text-pipeline-v1.json"), JsonSerializer.Serialize(expected, new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"Wrote {folder}/text-pipeline-v1.mlrnn and .json");

internal sealed class Row
{
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}
