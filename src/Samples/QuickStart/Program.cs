// QuickStart: a recurrent text classifier in an ML.NET pipeline, on reviews it generates.
// Train, evaluate with ML.NET's evaluator, save the whole pipeline, load it back and predict through a
// PredictionEngine. Usage: dotnet run -c Release --project src/Samples/QuickStart [-- --epochs 8 --seed 1]
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.QuickStart;

var arguments = SampleArguments.Parse(args, "QuickStart flags: --epochs N --seed N --model PATH --metrics PATH --plots DIR --onnx PATH");
var ml = new MLContext(seed: arguments.Seed);
IDataView train = ml.Data.LoadFromEnumerable(Reviews.Generate(4000, arguments.Seed));
IDataView test = ml.Data.LoadFromEnumerable(Reviews.Generate(1000, arguments.Seed + 1000));

// Words -> keys (ML.NET's own transforms) -> a bidirectional LSTM that reads them in order.
IEstimator<ITransformer> Pipeline(Action<TrainingProgressReport> progress) => ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(Review.Text))
    .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
    .Append(ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions
    {
        HiddenSize = 32,
        EmbeddingSize = 16,
        Bidirectional = true,
        NumberOfEpochs = arguments.Epochs(8),
        LearningRate = 0.005f,
        ValidationFraction = 0.1f,
        Progress = progress,
    }));

var clock = Stopwatch.StartNew();
Console.WriteLine("Training a bidirectional LSTM on 4,000 generated reviews (10% held out for validation)...");
ITransformer model = TrainingDisplay.Run("BiLSTM", progress => Pipeline(progress).Fit(train));
Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F1} s.");
TrainingPlots.Curves(arguments.Plots, "QuickStart: bidirectional LSTM on generated reviews", TrainingPlots.HistoryOf(model));
arguments.ExportOnnx(ml, model);

CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
Console.WriteLine($"Test accuracy {metrics.Accuracy:P1}, AUC {metrics.AreaUnderRocCurve:F3}, F1 {metrics.F1Score:F3} (1,000 new reviews).");

// One file for the whole pipeline (ML.NET's transforms and the recurrent model), loaded back as a user would.
string path = arguments.Model ?? Path.Combine(Path.GetTempPath(), "quickstart.mlrnn");
ml.Model.SaveRecurrentModel(model, train.Schema, path);
ITransformer loaded = ml.Model.LoadRecurrentModel(path, out _);
Console.WriteLine($"Saved to {path} ({new FileInfo(path).Length / 1024.0:F0} KB) and loaded back.");

var engine = ml.Model.CreatePredictionEngine<Review, ReviewPrediction>(loaded);
foreach (string text in new[] { "the film was not bad", "the film was not good", "the food was great but the staff was not lovely", "this phone was very boring , I would not buy it again" })
{
    ReviewPrediction prediction = engine.Predict(new Review { Text = text });
    Console.WriteLine($"  {(prediction.PredictedLabel ? "positive" : "negative"),-8} {prediction.Probability,6:P1}  \"{text}\"");
}
arguments.WriteMetrics(new Dictionary<string, object> { ["accuracy"] = metrics.Accuracy, ["auc"] = metrics.AreaUnderRocCurve, ["f1"] = metrics.F1Score });
if (arguments.Model is null) File.Delete(path);
return metrics.Accuracy > 0.9 ? 0 : 1;
