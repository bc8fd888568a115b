using System.Text.Json;

namespace Microsoft.ML.Recurrent.Samples;

/// <summary>
/// The flags every scenario sample accepts (DESIGN section 5): --train PATH[,PATH...], --test PATH,
/// --model PATH, --metrics PATH, --predictions PATH, --plots DIR, --epochs N, --seed N, plus
/// sample-specific ones declared by the sample.
/// </summary>
internal sealed class SampleArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private SampleArguments() { }

    /// <summary>Training files or folders (comma-separated), or empty to use the sample's own data.</summary>
    public IReadOnlyList<string> Train => Paths("--train");

    /// <summary>Test files or folders, or empty.</summary>
    public IReadOnlyList<string> Test => Paths("--test");

    /// <summary>Where to save the model, or null.</summary>
    public string? Model => Get("--model");

    /// <summary>Where to write the final metrics as one JSON object, or null.</summary>
    public string? Metrics => Get("--metrics");

    /// <summary>Where to write the test predictions, or null.</summary>
    public string? Predictions => Get("--predictions");

    /// <summary>Where to write PNG plots, or null.</summary>
    public string? Plots => Get("--plots");

    /// <summary>--onnx: where to export the trained model as ONNX, or null.</summary>
    public string? Onnx => Get("--onnx");

    /// <summary>
    /// Exports <paramref name="model"/> to the --onnx path when one was given; a model the export does not cover says
    /// so (the sample goes on).
    /// </summary>
    public void ExportOnnx(MLContext ml, ITransformer model)
    {
        if (Onnx is not string path) return;
        try
        {
            ml.Model.ConvertRecurrentToOnnx(model, path);
            Console.WriteLine($"Exported the recurrent model to {path} (ONNX opset 17; inputs tokens or frames, and lengths).");
        }
        catch (NotSupportedException e)
        {
            Console.WriteLine($"--onnx: {e.Message}");
        }
    }

    /// <summary>Epochs, or <paramref name="fallback"/>.</summary>
    public int Epochs(int fallback) => Int("--epochs", fallback);

    /// <summary>Seed, or 1.</summary>
    public int Seed => Int("--seed", 1);

    /// <summary>A flag's value, or null.</summary>
    public string? Get(string flag) => _values.GetValueOrDefault(flag);

    /// <summary>An integer flag, or <paramref name="fallback"/>.</summary>
    public int Int(string flag, int fallback) => Get(flag) is string v
        ? int.TryParse(v, out int n) ? n : throw new ArgumentException($"{flag} needs an integer; got '{v}'.")
        : fallback;

    /// <summary>Parses <paramref name="args"/>; <paramref name="extraFlags"/> are the sample's own flags with values.</summary>
    public static SampleArguments Parse(string[] args, string usage, params string[] extraFlags)
    {
        string[] known = ["--train", "--test", "--model", "--metrics", "--predictions", "--plots", "--onnx", "--epochs", "--seed", .. extraFlags];
        var parsed = new SampleArguments();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help") { Console.WriteLine(usage); Environment.Exit(0); }
            if (!known.Contains(args[i])) throw new ArgumentException($"Unknown flag '{args[i]}'.\n{usage}");
            if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value.\n{usage}");
            parsed._values[args[i]] = args[++i];
        }
        return parsed;
    }

    /// <summary>Expands files and folders (all files with one of <paramref name="extensions"/> inside, sorted) into files.</summary>
    public static IReadOnlyList<string> Files(IEnumerable<string> paths, params string[] extensions)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path).Where(f => extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal));
            else throw new FileNotFoundException($"'{path}' is neither a file nor a folder.", path);
        }
        if (files.Count == 0) throw new FileNotFoundException($"No {string.Join("/", extensions)} files in {string.Join(", ", paths)}.");
        return files;
    }

    /// <summary>Writes <paramref name="metrics"/> as one JSON object when --metrics was given.</summary>
    public void WriteMetrics(IReadOnlyDictionary<string, object> metrics)
    {
        if (Metrics is null) return;
        WriteAtomically(Metrics, JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"Metrics written to {Metrics}.");
    }

    /// <summary>Writes the prediction lines when --predictions was given.</summary>
    public void WritePredictions(IEnumerable<string> lines)
    {
        if (Predictions is null) return;
        WriteAtomically(Predictions, string.Concat(lines.Select(l => l + "\n")));
        Console.WriteLine($"Predictions written to {Predictions}.");
    }

    private static void WriteAtomically(string path, string text)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private IReadOnlyList<string> Paths(string flag) =>
        Get(flag) is string v ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
}
