// SlotFilling: a BiLSTM-CRF that finds the slots of chatbot requests (SNIPS-style seq.in/seq.out files), as an ML.NET pipeline.
// Usage: dotnet run -c Release --project src/Samples/SlotFilling [-- --train PATH --test PATH --model PATH --metrics PATH
//        --predictions PATH --plots DIR --epochs N --seed N --hidden N]
// --train/--test take a *.seq.in file (its *.seq.out beside it) or a folder: --train uses its train.* files and valid.* for
// early stopping, --test its test.* files, else valid.*. With no files it trains on requests it generates.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.SlotFilling;

const string usage = "Flags: --train PATH --test PATH --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N --hidden N";
SampleArguments arguments = SampleArguments.Parse(args, usage, "--hidden");
static string? SeqIn(string path, params string[] splits) =>
    File.Exists(path) ? path : splits.Select(s => Path.Combine(path, $"{s}.seq.in")).FirstOrDefault(File.Exists);
List<TaggedSentence> train, test;
List<TaggedSentence>? validation = null;
if (arguments.Train.Count > 0)
{
    string trainPath = arguments.Train[0];
    train = TaggedCorpus.ReadSeqInOut(SeqIn(trainPath, "train") ?? throw new FileNotFoundException($"No train.seq.in in '{trainPath}'."));
    if (Directory.Exists(trainPath) && SeqIn(trainPath, "valid") is string valid) validation = TaggedCorpus.ReadSeqInOut(valid);
}
else train = GeneratedRequests.Generate(2000, arguments.Seed);
test = arguments.Test.Count > 0
    ? TaggedCorpus.ReadSeqInOut(SeqIn(arguments.Test[0], "test", "valid") ?? throw new FileNotFoundException($"No test.seq.in or valid.seq.in in '{arguments.Test[0]}'."))
    : arguments.Train.Count > 0 ? validation ?? throw new ArgumentException("Give --test, or a --train folder with valid.* files.") : GeneratedRequests.Generate(300, arguments.Seed + 1);
Console.WriteLine($"Training on {train.Count:N0} requests, {(validation is null ? "5% of them held out" : $"{validation.Count:N0} validation requests")} for early stopping, testing on {test.Count:N0}; seed {arguments.Seed}.");

var ml = new MLContext(arguments.Seed);
TrainerLog.Attach(ml, "SequenceTaggerTrainer");
// One key mapping for all splits: a slot type seen only in the test split maps to the missing key.
ITransformer keys = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggedSentence.Tags)).Fit(ml.Data.LoadFromEnumerable(train));
IDataView trainData = keys.Transform(ml.Data.LoadFromEnumerable(train));
IDataView? validationData = validation is null ? null : keys.Transform(ml.Data.LoadFromEnumerable(validation));
SequenceTaggerTrainer Tagger(Action<TrainingProgressReport> progress) => ml.MulticlassClassification.Trainers.SequenceTagger(new SequenceTaggerOptions
{
    TokenColumnName = nameof(TaggedSentence.Tokens),
    HiddenSize = arguments.Int("--hidden", 128),
    NumberOfEpochs = arguments.Epochs(20),
    LearningRate = 2e-3f,
    ValidationFraction = validation is null ? 0.05f : 0f,
    Progress = progress,
});
var clock = Stopwatch.StartNew();
SequenceTaggingTransformer tagger = TrainingDisplay.Run("BiLSTM-CRF", progress => Tagger(progress).Fit(trainData, validationData));
double trainSeconds = clock.Elapsed.TotalSeconds;
TrainingPlots.Curves(arguments.Plots, "Slot filling: BiLSTM-CRF", tagger.TrainingHistory);
ITransformer model = keys.Append(tagger).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel").Fit(tagger.Transform(trainData)));

IDataView testData = ml.Data.LoadFromEnumerable(test);
IDataView scored = model.Transform(testData);
TaggingMetrics metrics = ml.MulticlassClassification.EvaluateTagging(scored);
string[][] predicted = [.. scored.GetColumn<string[]>("PredictedTags")];
Console.WriteLine();
Console.WriteLine(metrics);
Console.WriteLine($"Trained in {trainSeconds:F0} s ({tagger.TrainingHistory.Count} epochs, scheme {tagger.TagScheme}, {tagger.TagNames.Count} tags).");
model = TaggerDemo.SaveAndLoad(ml, model, testData.Schema, arguments.Model);
arguments.ExportOnnx(ml, model);
TaggerDemo.Show(ml, model, ["play some nina simone", "what is the weather in new york tomorrow morning"], (word, tag) => tag == "O" ? word : $"[{word}/{tag}]");
arguments.WritePredictions(predicted.Select(tags => string.Join(' ', tags)));
arguments.WriteMetrics(new Dictionary<string, object>
{
    ["chunk_f1"] = metrics.Chunk.F1, ["chunk_precision"] = metrics.Chunk.Precision, ["chunk_recall"] = metrics.Chunk.Recall,
    ["token_accuracy"] = metrics.TokenAccuracy, ["train_requests"] = train.Count, ["test_requests"] = test.Count, ["train_seconds"] = trainSeconds,
});
return 0;
