// Sentiment: a recurrent classifier of review sentences next to ML.NET's FeaturizeText + SDCA baseline.
// Usage: dotnet run -c Release --project src/Samples/Sentiment [-- --train PATH[,PATH] --test PATH
//        --model PATH --metrics PATH --predictions PATH --epochs N --seed N --cell Gru --hidden 64 --pooling Max]
// Files are 'sentence<TAB>label' lines (UCI sentiment, rt-polarity); a folder means all its .txt/.tsv files.
using Microsoft.ML.Recurrent;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.Sentiment;

const string usage = "Flags: --train PATH[,PATH] --test PATH --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N --cell Lstm|Gru|... --hidden N --pooling Max|Mean|LastState";
SampleArguments arguments = SampleArguments.Parse(args, usage, "--cell", "--hidden", "--pooling");
var cell = Enum.Parse<CellType>(arguments.Get("--cell") ?? nameof(CellType.Gru), ignoreCase: true);
int hidden = arguments.Int("--hidden", 128), epochs = arguments.Epochs(15);
var pooling = Enum.Parse<Microsoft.ML.Recurrent.SequencePooling>(arguments.Get("--pooling") ?? "Max", ignoreCase: true);

List<ModelInput> train, test;
IEnumerable<string> trainPaths = arguments.Train.Count > 0 ? arguments.Train : [Path.Combine(SentimentData.ShippedFolder, "train.tsv")];
train = SentimentData.Load(SampleArguments.Files(trainPaths, ".txt", ".tsv"));
if (arguments.Test.Count > 0) test = SentimentData.Load(SampleArguments.Files(arguments.Test, ".txt", ".tsv"));
else if (arguments.Train.Count > 0) (train, test) = SentimentData.Split(train, 0.2, arguments.Seed);
else test = SentimentData.Load([Path.Combine(SentimentData.ShippedFolder, "test.tsv")]);
Console.WriteLine($"Training on {train.Count} sentences, testing on {test.Count}; {cell} H={hidden}, up to {epochs} epochs, seed {arguments.Seed}.");

var ml = new MLContext(arguments.Seed);
TrainerLog.Attach(ml, "RecurrentSequenceTrainer");
IDataView trainData = ml.Data.LoadFromEnumerable(train), testData = ml.Data.LoadFromEnumerable(test);

var clock = Stopwatch.StartNew();
ITransformer model = TrainingDisplay.Run($"{cell} H={hidden}", progress => SentimentModel.RecurrentPipeline(ml, epochs, cell, hidden, pooling, progress).Fit(trainData));
double trainSeconds = clock.Elapsed.TotalSeconds;
(BinaryClassificationMetrics recurrent, bool[] predictions) = SentimentModel.Evaluate(ml, model, testData);

clock.Restart();
ITransformer baselineModel = SentimentModel.BaselinePipeline(ml).Fit(trainData);
double baselineSeconds = clock.Elapsed.TotalSeconds;
(BinaryClassificationMetrics baseline, _) = SentimentModel.Evaluate(ml, baselineModel, testData);

Console.WriteLine();
Console.WriteLine($"{"model",-34} {"accuracy",9} {"AUC",7} {"F1",7} {"train s",8}");
Console.WriteLine($"{"Recurrent (" + cell + ", bidirectional)",-34} {recurrent.Accuracy,9:F4} {recurrent.AreaUnderRocCurve,7:F4} {recurrent.F1Score,7:F4} {trainSeconds,8:F1}");
Console.WriteLine($"{"FeaturizeText + SDCA (baseline)",-34} {baseline.Accuracy,9:F4} {baseline.AreaUnderRocCurve,7:F4} {baseline.F1Score,7:F4} {baselineSeconds,8:F1}");

TrainingPlots.Curves(arguments.Plots, $"Sentiment: bidirectional {cell}, H={hidden}", TrainingPlots.HistoryOf(model));
arguments.ExportOnnx(ml, model);
if (arguments.Model is not null)
{
    SentimentModel.Save(ml, model, trainData.Schema, arguments.Model);
    clock.Restart();
    model = SentimentModel.Load(ml, arguments.Model);
    Console.WriteLine($"Saved the model to {arguments.Model} ({new FileInfo(arguments.Model).Length / 1024.0:F0} KiB) and loaded it back in {clock.Elapsed.TotalMilliseconds:F0} ms.");
}
foreach (string sentence in new[] { "The staff were friendly and the food was delicious.", "It broke after a day, what a waste of money." })
{
    ModelOutput output = SentimentModel.Predict(ml, model, sentence);
    Console.WriteLine($"\"{sentence}\" -> {(output.PredictedLabel ? "positive" : "negative")} (p = {output.Probability:F3})");
}

arguments.WritePredictions(predictions.Select(SentimentData.Format));
arguments.WriteMetrics(new Dictionary<string, object>
{
    ["accuracy"] = recurrent.Accuracy,
    ["auc"] = recurrent.AreaUnderRocCurve,
    ["f1"] = recurrent.F1Score,
    ["baseline_accuracy"] = baseline.Accuracy,
    ["baseline_auc"] = baseline.AreaUnderRocCurve,
    ["baseline_f1"] = baseline.F1Score,
    ["train_examples"] = train.Count,
    ["test_examples"] = test.Count,
    ["train_seconds"] = trainSeconds,
});
