// TextGeneration: a character-level LSTM language model as an ML.NET component, trained by truncated BPTT,
// printing samples as it trains, then generating by sampling and by beam search and scoring perplexity.
// Usage: dotnet run -c Release --project src/Samples/TextGeneration [-- --train FILE.txt --test FILE.txt --model PATH
//        --metrics PATH --predictions PATH --plots DIR --epochs N --seed N --hidden N --layers N] [-- --exposure-bias]
// With no files it trains briefly on the nursery rhymes it ships. Without --test the last 10% of the training
// text's characters are the validation text (the char-rnn convention); early stopping watches its cross-entropy.
// --exposure-bias runs only the teacher forcing vs scheduled sampling comparison on a counting language (ExposureBias.cs).
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.TextGeneration;

const string usage = "Flags: --train FILE --test FILE --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N --hidden N --layers N, or --exposure-bias";
if (args.Contains("--exposure-bias"))
{
    ExposureBias.Run(seed: 1);
    return 0;
}
SampleArguments arguments = SampleArguments.Parse(args, usage, "--hidden", "--layers");
bool shipped = arguments.Train.Count == 0;
string text = shipped ? File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rhymes.txt"))
    : string.Concat(SampleArguments.Files(arguments.Train, ".txt").Select(File.ReadAllText));
string validationText;
if (arguments.Test.Count > 0) validationText = string.Concat(SampleArguments.Files(arguments.Test, ".txt").Select(File.ReadAllText));
else
{
    int cut = text.Length * 9 / 10;
    (text, validationText) = (text[..cut], text[cut..]);
}
Console.WriteLine($"Training on {text.Length:N0} characters, validating on {validationText.Length:N0}; seed {arguments.Seed}.");

var ml = new MLContext(arguments.Seed);
TrainerLog.Attach(ml, "LanguageModelTrainer");
// One row each: the model reads the whole text as one stream, cut into parallel streams, as char-rnn does.
IDataView train = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = text } });
IDataView validation = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = validationText } });
var sampling = new GenerationOptions { Temperature = 0.8f, MaximumLength = shipped ? 120 : 300, Seed = arguments.Seed };
string prompt = shipped ? "Twinkle" : "ROMEO:";
var clock = Stopwatch.StartNew();
var options = new LanguageModelOptions
{
    TextColumnName = nameof(TextRow.Text),
    HiddenSize = arguments.Int("--hidden", shipped ? 128 : 512),
    NumberOfLayers = arguments.Int("--layers", shipped ? 1 : 2),
    EmbeddingSize = shipped ? 32 : 128,
    Dropout = shipped ? 0f : 0.2f,
    SequenceLength = shipped ? 32 : 100,
    BatchSize = shipped ? 4 : 32,
    NumberOfEpochs = arguments.Epochs(shipped ? 300 : 25),
    LearningRate = 2e-3f,
    LearningRateSchedule = new LearningRateSchedule { Decay = LearningRateDecay.Cosine },
    EarlyStoppingPatience = shipped ? 30 : 3,
    EpochEnded = (epoch, generator) =>
    {
        if (epoch % (shipped ? 10 : 1) != 0) return;
        string sample = generator.Generate(prompt, sampling);
        Console.WriteLine($"    sample after epoch {epoch}: {prompt}{sample.ReplaceLineEndings(" / ")}");
    },
};
LanguageModelTransformer model = TrainingDisplay.Run("char LSTM", progress =>
{
    options.Progress = progress;
    return ml.Transforms.Text.LanguageModel(options, sampling).Fit(train, validation);
}, unit: "windows");
double trainSeconds = clock.Elapsed.TotalSeconds;
TrainingPlots.Curves(arguments.Plots, "Character language model", model.TrainingHistory);

LanguageModelMetrics metrics = model.Evaluate(validation);
Console.WriteLine();
Console.WriteLine($"Validation: {metrics}");
int epochs = model.TrainingHistory.Count;
double symbolsPerSecond = (double)text.Length * epochs / Math.Max(trainSeconds, 1e-9);
Console.WriteLine($"Trained {epochs} epochs in {trainSeconds:F0} s ({symbolsPerSecond:N0} characters/s).");

model = ModelFile.SaveAndLoad(ml, model, train.Schema, arguments.Model);
arguments.ExportOnnx(ml, model);
TextGenerator generator = model.CreateGenerator();
var samples = new List<string>();
foreach ((string name, GenerationOptions generation) in GenerationDemo.Settings(sampling.MaximumLength, arguments.Seed))
{
    string continuation = generator.Generate(prompt, generation);
    samples.Add($"[{name}] {prompt}{continuation}");
    Console.WriteLine($"--- {name} ---");
    Console.WriteLine(prompt + continuation);
}
arguments.WritePredictions(samples);
arguments.WriteMetrics(new Dictionary<string, object>
{
    ["validation_nats_per_char"] = metrics.CrossEntropy, ["validation_bits_per_char"] = metrics.BitsPerSymbol, ["validation_perplexity"] = metrics.Perplexity,
    ["train_characters"] = text.Length, ["epochs"] = epochs, ["train_seconds"] = trainSeconds, ["characters_per_second"] = symbolsPerSecond,
});
return 0;
