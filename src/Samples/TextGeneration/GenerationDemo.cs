using Microsoft.ML;

namespace Microsoft.ML.Recurrent.Samples.TextGeneration;

/// <summary>The consumption part: save and reload the model, and the generation settings the sample shows side by side.</summary>
internal static class GenerationDemo
{
    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/> (when given) and returns the reloaded model, which generates what the original does.</summary>
    public static LanguageModelTransformer SaveAndLoad(MLContext ml, LanguageModelTransformer model, DataViewSchema schema, string? path)
    {
        if (path is null) return model;
        ml.Model.SaveRecurrentModel(model, schema, path);
        // The model file holds a chain (here of one transformer).
        ITransformer file = ml.Model.LoadRecurrentModel(path, out _);
        var loaded = file as LanguageModelTransformer ?? ((IEnumerable<ITransformer>)file).OfType<LanguageModelTransformer>().Single();
        Console.WriteLine($"Saved the model to {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:F1} MB) and loaded it back.");
        return loaded;
    }

    /// <summary>Greedy, sampling at two temperatures, nucleus sampling, and a beam search.</summary>
    public static IEnumerable<(string Name, GenerationOptions Options)> Settings(int length, int seed) =>
    [
        ("greedy", new GenerationOptions { Temperature = 0, MaximumLength = length }),
        ("temperature 0.8", new GenerationOptions { Temperature = 0.8f, MaximumLength = length, Seed = seed }),
        ("temperature 1.0, top-p 0.9", new GenerationOptions { Temperature = 1f, TopP = 0.9f, MaximumLength = length, Seed = seed }),
        ("beam search, width 4", new GenerationOptions { BeamWidth = 4, MaximumLength = length }),
    ];
}
