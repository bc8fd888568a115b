using System.Diagnostics;
using Microsoft.ML;

namespace Microsoft.ML.Recurrent.Samples.TextGeneration;

/// <summary>
/// Exposure bias, measured (<c>--exposure-bias</c>): small character models learn the counting language
/// a^n b^n (n from 1 to 25), one with teacher forcing only, two with scheduled sampling (teacher forcing decays
/// linearly over 400 steps to 90% or 50%), on the same data and budget. Free running, each then writes 500 texts
/// from nothing (temperature 1) and continues each prompt a^n greedily; the errors are the share of texts outside
/// the language and the prompts whose continuation leaves it.
/// </summary>
internal static class ExposureBias
{
    private const int Longest = 25, Hidden = 16;

    public static void Run(int seed)
    {
        var random = new Random(seed);
        string Text() { int n = random.Next(1, Longest + 1); return new string('a', n) + new string('b', n); }
        var ml = new MLContext(seed);
        IDataView train = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 2000).Select(_ => new TextRow { Text = Text() }));
        IDataView validation = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 200).Select(_ => new TextRow { Text = Text() }));
        Console.WriteLine($"Exposure bias on a^n b^n (n = 1..{Longest}): 2,000 training texts, a 1-layer LSTM of {Hidden} units, 12 epochs each.");
        Console.WriteLine($"{"training",-40} {"sampled texts outside a^n b^n",30} {"prompts a^n not completed",30} {"validation nats",16} {"time",6}");
        foreach ((string name, TeacherForcingDecay decay, float floor) in new[]
        {
            ("teacher forcing", TeacherForcingDecay.None, 1f),
            ("scheduled sampling (linear to 0.9)", TeacherForcingDecay.Linear, 0.9f),
            ("scheduled sampling (linear to 0.5)", TeacherForcingDecay.Linear, 0.5f),
        })
        {
            var clock = Stopwatch.StartNew();
            var options = new LanguageModelOptions
            {
                TextColumnName = nameof(TextRow.Text), HiddenSize = Hidden, EmbeddingSize = 8, NumberOfLayers = 1, Dropout = 0f, SequenceLength = 2 * Longest + 2, BatchSize = 16,
                NumberOfEpochs = 12, LearningRate = 5e-3f, EarlyStoppingPatience = 0, Seed = seed,
                TeacherForcingDecay = decay, TeacherForcingDecaySteps = 400, MinimumTeacherForcing = floor,
            };
            LanguageModelTransformer model = ml.Transforms.Text.LanguageModel(options).Fit(train, validation);
            TextGenerator generator = model.CreateGenerator();
            int invalid = 0;
            for (int i = 0; i < 500; i++)
                if (!InLanguage(generator.Generate("", new GenerationOptions { Temperature = 1f, MaximumLength = 4 * Longest, Seed = seed * 1000 + i }))) invalid++;
            int unfinished = 0;
            for (int n = 1; n <= Longest; n++)
                if (!InLanguage(new string('a', n) + generator.Generate(new string('a', n), new GenerationOptions { Temperature = 0, MaximumLength = 4 * Longest }))) unfinished++;
            double nats = model.TrainingHistory[^1].ValidationLoss;
            Console.WriteLine($"{name,-40} {invalid / 5.0,29:F1}% {unfinished,21} of {Longest} {nats,16:F4} {clock.Elapsed.TotalSeconds,5:F0}s");
        }
    }

    private static bool InLanguage(string text)
    {
        int n = text.TakeWhile(c => c == 'a').Count();
        return n > 0 && text == new string('a', n) + new string('b', n);
    }
}
