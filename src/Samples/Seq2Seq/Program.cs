// Seq2Seq: an encoder-decoder with attention as an ML.NET component. With no files it learns date normalization
// (ten written formats, three cases, 1900-2099, into ISO YYYY-MM-DD) from pairs it generates; with --train/--test it
// reads source<TAB>target files (e.g. ../shared/data/cmudict for grapheme-to-phoneme conversion).
// Usage: dotnet run -c Release --project src/Samples/Seq2Seq [-- --train FILE --test FILE --model PATH --metrics PATH
//        --predictions PATH --plots DIR --onnx PATH --epochs N --seed N --hidden N --layers N --smoothing X --beam N --source-unit char|word --target-unit char|word]
// Sources are read as characters; targets with spaces as space-separated symbols, otherwise as characters (the unit
// flags override both). 5% of the training pairs are held out for early stopping; the test file is only scored.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.Seq2Seq;

const string usage = "Flags: --train FILE --test FILE --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N --hidden N --layers N --smoothing X --beam N --source-unit char|word --target-unit char|word";
SampleArguments arguments = SampleArguments.Parse(args, usage, "--hidden", "--layers", "--smoothing", "--beam", "--source-unit", "--target-unit");
bool generated = arguments.Train.Count == 0;
if (generated != (arguments.Test.Count == 0)) { Console.Error.WriteLine("Give both --train and --test, or neither."); return 2; }
List<(string Source, string Target)> train = generated ? [.. DateTask.Pairs(20_000, arguments.Seed)] : PairFile.Read(SampleArguments.Files(arguments.Train, ".tsv", ".txt"));
List<(string Source, string Target)> test = generated ? [.. DateTask.Pairs(1_000, arguments.Seed + 1_000_003)] : PairFile.Read(SampleArguments.Files(arguments.Test, ".tsv", ".txt"));
SymbolUnit Unit(string flag, SymbolUnit fallback) => arguments.Get(flag) switch
{
    null => fallback,
    "char" => SymbolUnit.Character,
    "word" => SymbolUnit.Word,
    string other => throw new ArgumentException($"{flag} is 'char' or 'word', not '{other}'."),
};
SymbolUnit sourceUnit = Unit("--source-unit", SymbolUnit.Character);
SymbolUnit targetUnit = Unit("--target-unit", train.Any(p => p.Target.Contains(' ')) ? SymbolUnit.Word : SymbolUnit.Character);
Console.WriteLine($"{(generated ? "Date normalization (generated)" : string.Join(", ", arguments.Train))}: {train.Count:N0} training pairs, {test.Count:N0} test pairs; "
    + $"sources as {Name(sourceUnit)}, targets as {Name(targetUnit)}; seed {arguments.Seed}.");
foreach ((string s, string t) in train.Take(3)) Console.WriteLine($"    {s}  ->  {t}");

var ml = new MLContext(arguments.Seed);
TrainerLog.Attach(ml, "Seq2SeqTrainer");
IDataView Load(IEnumerable<(string Source, string Target)> pairs) => ml.Data.LoadFromEnumerable(pairs.Select(p => new PairRow { Source = p.Source, Target = p.Target }));
IDataView trainData = Load(train), testData = Load(test);
int hidden = arguments.Int("--hidden", generated ? 128 : 256);
var options = new Seq2SeqOptions
{
    SourceUnit = sourceUnit, TargetUnit = targetUnit,
    EmbeddingSize = generated ? 32 : 64, EncoderHiddenSize = hidden, DecoderHiddenSize = hidden, AttentionSize = hidden, EncoderLayers = arguments.Int("--layers", generated ? 1 : 2),
    LabelSmoothing = float.Parse(arguments.Get("--smoothing") ?? (generated ? "0" : "0.1"), System.Globalization.CultureInfo.InvariantCulture),
    Dropout = generated ? 0.1f : 0.2f, NumberOfEpochs = arguments.Epochs(generated ? 8 : 12), BatchSize = 64, LearningRate = 2e-3f,
    LearningRateSchedule = new LearningRateSchedule { Decay = LearningRateDecay.Cosine }, ValidationFraction = 0.05f, Seed = arguments.Seed,
    Decoding = new Seq2SeqDecodingOptions { BeamWidth = arguments.Int("--beam", 5) },
};
var clock = Stopwatch.StartNew();
Seq2SeqTransformer model = TrainingDisplay.Run("seq2seq", progress =>
{
    options.Progress = progress;
    return ml.Transforms.Text.SequenceToSequence(options).Fit(trainData);
}, unit: "pairs");
double trainSeconds = clock.Elapsed.TotalSeconds;
int epochs = model.TrainingHistory.Count;
TrainingPlots.Curves(arguments.Plots, generated ? "Date normalization" : "Seq2seq", model.TrainingHistory);
Console.WriteLine($"Trained {epochs} epochs in {trainSeconds:F0} s ({(double)train.Count * epochs / trainSeconds:F0} pairs/s).");

model = ModelFile.SaveAndLoad(ml, model, trainData.Schema, arguments.Model);
arguments.ExportOnnx(ml, model);
clock.Restart();
TranslationMetrics greedy = model.WithDecoding(new Seq2SeqDecodingOptions { BeamWidth = 1 }).Evaluate(testData);
double greedySeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
TranslationMetrics metrics = model.Evaluate(testData, out IReadOnlyList<(string Source, string Output)> outputs);
double beamSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine();
Console.WriteLine($"Test, greedy ({greedySeconds:F1} s):         {greedy}");
Console.WriteLine($"Test, beam of {model.Decoding.BeamWidth} ({beamSeconds:F1} s):      {metrics}");
var references = test.GroupBy(p => p.Source).ToDictionary(g => g.Key, g => g.Select(p => p.Target).ToList());
Console.WriteLine("Examples:");
foreach ((string source, string output) in outputs.Take(6).Concat(outputs.Skip(6).Where(o => !references[o.Source].Contains(o.Output)).Take(4)))
    Console.WriteLine($"  {(references[source].Contains(output) ? "ok " : "ERR")} {source}  ->  {output}{(references[source].Contains(output) ? "" : $"   (expected {string.Join(" | ", references[source])})")}");
if (arguments.Plots is string folder) AttentionPlots.Draw(folder, model, outputs.Take(3).Select(o => o.Source));
arguments.WritePredictions(outputs.Select(o => $"{o.Source}\t{o.Output}"));
arguments.WriteMetrics(new Dictionary<string, object>
{
    ["exact_match"] = metrics.ExactMatch, ["word_error_rate"] = 1 - metrics.ExactMatch, ["token_error_rate"] = metrics.TokenErrorRate, ["bleu"] = metrics.Bleu,
    ["greedy_exact_match"] = greedy.ExactMatch, ["greedy_token_error_rate"] = greedy.TokenErrorRate, ["test_sources"] = metrics.Sentences,
    ["train_pairs"] = train.Count, ["epochs"] = epochs, ["train_seconds"] = trainSeconds, ["beam_seconds"] = beamSeconds,
});
return 0;

static string Name(SymbolUnit unit) => unit == SymbolUnit.Character ? "characters" : "space-separated symbols";
