namespace Microsoft.ML.Recurrent.Tests;

/// <summary>Locations of the shared reference data beside the repository (../shared).</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding Recurrent.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>../shared/reference/golden-dev.json.</summary>
    public static string GoldenDev => Path.Combine(RepositoryRoot, "..", "shared", "reference", "golden-dev.json");

    /// <summary>../shared/reference/golden-dev-tagging.json (the tagging family's building blocks).</summary>
    public static string GoldenDevTagging => Path.Combine(RepositoryRoot, "..", "shared", "reference", "golden-dev-tagging.json");
    public static string GoldenDevSeq2Seq => Path.Combine(RepositoryRoot, "..", "shared", "reference", "golden-dev-seq2seq.json");
    public static string GoldenDevSpeech => Path.Combine(RepositoryRoot, "..", "shared", "reference", "golden-dev-speech.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Recurrent.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Recurrent.sln not found above {AppContext.BaseDirectory}.");
    }
}
