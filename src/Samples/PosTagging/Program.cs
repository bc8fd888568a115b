// PosTagging: a BiLSTM-CRF part-of-speech tagger as an ML.NET pipeline.
// Usage: dotnet run -c Release --project src/Samples/PosTagging [-- --train FILE.tsv|FILE.conllu[.gz] --test FILE
//        --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N --hidden N --embedding N --layers N
//        --char-filters N --schedule constant|cosine]
// With no files it trains on sentences it generates. Files are FORM<TAB>UPOS lines with a blank line between
// sentences (the ud-english-ewt .tsv files) or CoNLL-U (UPOS). 5% of the training sentences decide early stopping.
// Defaults (tuned on UD EWT dev): 2 BiLSTM layers of 200 per direction, 100 character filters, 25 epochs with a
// cosine learning-rate decay from 2e-3.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.PosTagging;

const string usage = "Flags: --train FILE --test FILE --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N --hidden N --embedding N --layers N --char-filters N --schedule constant|cosine";
SampleArguments arguments = SampleArguments.Parse(args, usage, "--hidden", "--embedding", "--layers", "--char-filters", "--schedule");
LearningRateDecay decay = arguments.Get("--schedule") switch
{
    null or "cosine" => LearningRateDecay.Cosine,
    "constant" => LearningRateDecay.None,
    string other => throw new ArgumentException($"--schedule must be constant or cosine, not '{other}'."),
};
static List<TaggedSentence> Load(IEnumerable<string> paths) =>
    [.. SampleArguments.Files(paths, ".tsv", ".conllu", ".gz").SelectMany(f => f.Contains(".conllu", StringComparison.Ordinal) ? TaggedCorpus.ReadConllU(f) : TaggedCorpus.ReadColumns(f))];
List<TaggedSentence> train = arguments.Train.Count > 0 ? Load(arguments.Train) : GeneratedCorpus.Generate(3000, arguments.Seed);
List<TaggedSentence> test = arguments.Test.Count > 0 ? Load(arguments.Test) : GeneratedCorpus.Generate(500, arguments.Seed + 1);
Console.WriteLine($"Training on {train.Count:N0} sentences ({train.Sum(s => s.Tokens.Length):N0} tokens), testing on {test.Count:N0} ({test.Sum(s => s.Tokens.Length):N0} tokens); seed {arguments.Seed}.");

var ml = new MLContext(arguments.Seed);
TrainerLog.Attach(ml, "SequenceTaggerTrainer");
IDataView trainData = ml.Data.LoadFromEnumerable(train), testData = ml.Data.LoadFromEnumerable(test);
IEstimator<ITransformer> Pipeline(Action<TrainingProgressReport> progress) =>
    ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggedSentence.Tags))
        .Append(ml.MulticlassClassification.Trainers.SequenceTagger(new SequenceTaggerOptions
        {
            TokenColumnName = nameof(TaggedSentence.Tokens),
            HiddenSize = arguments.Int("--hidden", 200),
            WordEmbeddingSize = arguments.Int("--embedding", 100),
            NumberOfLayers = arguments.Int("--layers", 2),
            CharacterFilters = arguments.Int("--char-filters", 100),
            NumberOfEpochs = arguments.Epochs(25),
            LearningRate = 2e-3f,
            LearningRateSchedule = new LearningRateSchedule { Decay = decay },
            ValidationFraction = 0.05f,
            Progress = progress,
        }))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel"));

var clock = Stopwatch.StartNew();
ITransformer model = TrainingDisplay.Run("BiLSTM-CRF", progress => Pipeline(progress).Fit(trainData));
double trainSeconds = clock.Elapsed.TotalSeconds;
long trainTokens = train.Sum(s => s.Tokens.Length);
int epochsRun = TrainingPlots.HistoryOf(model).Count;
TrainingPlots.Curves(arguments.Plots, "Part-of-speech tagging: BiLSTM-CRF", TrainingPlots.HistoryOf(model));

clock.Restart();
IDataView scored = model.Transform(testData);
TaggingMetrics metrics = ml.MulticlassClassification.EvaluateTagging(scored);
string[][] predicted = [.. scored.GetColumn<string[]>("PredictedTags")];
double scoreSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine();
Console.WriteLine(metrics);
Console.WriteLine($"Trained in {trainSeconds:F0} s; tagged the test split at {metrics.Tokens / scoreSeconds:N0} tokens/s (with evaluation).");

model = TaggerDemo.SaveAndLoad(ml, model, trainData.Schema, arguments.Model);
arguments.ExportOnnx(ml, model);
TaggerDemo.Show(ml, model, ["The old man the boat .", "We plan a quick walk today ."], (word, tag) => $"{word}/{tag}");

arguments.WritePredictions(TaggedCorpus.FormatColumns(test.Zip(predicted, (s, p) => new TaggedSentence { Tokens = s.Tokens, Tags = p })));
arguments.WriteMetrics(new Dictionary<string, object>
{
    ["token_accuracy"] = metrics.TokenAccuracy, ["macro_f1"] = metrics.MacroF1, ["chunk_f1"] = metrics.Chunk.F1,
    ["train_sentences"] = train.Count, ["train_tokens"] = trainTokens, ["test_tokens"] = metrics.Tokens,
    ["train_seconds"] = trainSeconds, ["epochs"] = epochsRun, ["train_tokens_per_second"] = trainTokens * epochsRun / Math.Max(trainSeconds, 1e-9),
});
return 0;
