// The package check's consumer: a console program that knows the library only through its NuGet package.
// It trains a recurrent classifier in an ML.NET pipeline, saves and reloads it, and trains a tiny language
// model; any file the package lacks (assembly, dependency, resource) fails it. Exit status 0 on success.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;

var ml = new MLContext(seed: 1);
var random = new Random(1);
string[] good = ["good", "great", "lovely"], bad = ["bad", "awful", "boring"];
Review Make() { bool positive = random.Next(2) == 0; return new Review { Text = $"the film was {(positive ? good : bad)[random.Next(3)]}", Label = positive }; }
IDataView train = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 400).Select(_ => Make()));
var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(Review.Text))
    .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
    .Append(ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 8, EmbeddingSize = 8, NumberOfEpochs = 5, LearningRate = 0.02f }));
ITransformer model = pipeline.Fit(train);
string path = Path.Combine(Path.GetTempPath(), $"package-check-{Environment.ProcessId}.mlrnn");
ml.Model.SaveRecurrentModel(model, train.Schema, path);
ITransformer loaded = ml.Model.LoadRecurrentModel(path, out _);
File.Delete(path);
double accuracy = ml.BinaryClassification.Evaluate(loaded.Transform(train)).Accuracy;
var lm = ml.Transforms.Text.LanguageModel(new LanguageModelOptions { HiddenSize = 16, EmbeddingSize = 8, NumberOfLayers = 1, NumberOfEpochs = 2, SequenceLength = 16, BatchSize = 2 })
    .Fit(ml.Data.LoadFromEnumerable(new[] { new { Text = "to be or not to be" } }));
string generated = lm.CreateGenerator().Generate("to", new GenerationOptions { MaximumLength = 10, Seed = 1 });
Console.WriteLine($"package check: accuracy {accuracy:F3} after save and load; the language model wrote '{generated}'.");
return accuracy >= 0.9 ? 0 : 1;

sealed class Review
{
    public string Text { get; set; } = "";
    public bool Label { get; set; }
}
