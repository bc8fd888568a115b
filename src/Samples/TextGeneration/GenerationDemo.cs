namespace Microsoft.ML.Recurrent.Samples.TextGeneration;

/// <summary>The generation settings the sample shows side by side.</summary>
internal static class GenerationDemo
{
    /// <summary>Greedy, sampling at two temperatures, nucleus sampling, and a beam search.</summary>
    public static IEnumerable<(string Name, GenerationOptions Options)> Settings(int length, int seed) =>
    [
        ("greedy", new GenerationOptions { Temperature = 0, MaximumLength = length }),
        ("temperature 0.8", new GenerationOptions { Temperature = 0.8f, MaximumLength = length, Seed = seed }),
        ("temperature 1.0, top-p 0.9", new GenerationOptions { Temperature = 1f, TopP = 0.9f, MaximumLength = length, Seed = seed }),
        ("beam search, width 4", new GenerationOptions { BeamWidth = 4, MaximumLength = length }),
    ];
}
