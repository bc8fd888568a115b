// AssociativeMemory: Hopfield networks as ML.NET components. Stores letter bitmaps, completes noisy and half-erased
// ones, then measures capacity on random patterns: classic Hebbian and Storkey networks and the modern network.
// Usage: dotnet run -c Release --project src/Samples/AssociativeMemory [-- --rule hebbian|storkey --seed N
//        --metrics PATH --plots DIR --predictions PATH]
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Engine.Memory;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.AssociativeMemory;
using ScottPlot;

SampleArguments arguments = SampleArguments.Parse(args, "Flags: --rule hebbian|storkey --seed N --metrics PATH --plots DIR --predictions PATH --onnx PATH", "--rule");
HopfieldLearningRule rule = arguments.Get("--rule") switch
{
    null or "storkey" => HopfieldLearningRule.Storkey,
    "hebbian" => HopfieldLearningRule.Hebbian,
    string other => throw new ArgumentException($"--rule must be hebbian or storkey, not '{other}'."),
};
var ml = new MLContext(arguments.Seed);
var random = new Random(arguments.Seed);

// 1. Letters: store them, then complete damaged copies through Transform.
IReadOnlyList<char> letters = Glyphs.Letters;
IDataView stored = ml.Data.LoadFromEnumerable(letters.Select(l => new GlyphRow { Pixels = Glyphs.Draw(l) }));
HopfieldMemoryTransformer classic = ml.Transforms.HopfieldMemory(new HopfieldMemoryOptions { InputColumnName = nameof(GlyphRow.Pixels), LearningRule = rule, Seed = arguments.Seed }).Fit(stored);
arguments.ExportOnnx(ml, classic);
HopfieldMemoryTransformer modernMemory = ml.Transforms.HopfieldMemory(new HopfieldMemoryOptions { InputColumnName = nameof(GlyphRow.Pixels), Kind = HopfieldMemoryKind.Modern, Beta = 1f }).Fit(stored);
Console.WriteLine($"Stored {letters.Count} letters (16x16 = 256 neurons) in a classic network ({rule} rule) and a modern one (beta 1: the letters overlap in most pixels, so retrieval must be sharp).");
var report = new List<string>();
int Complete(HopfieldMemoryTransformer memory, string damage, Func<float[], float[]> damageOf, bool show)
{
    float[][] inputs = [.. letters.Select(l => damageOf(Glyphs.Draw(l)))];
    IDataView recalled = memory.Transform(ml.Data.LoadFromEnumerable(inputs.Select(p => new GlyphRow { Pixels = p })));
    float[][] states = [.. recalled.GetColumn<float[]>("Recalled")];
    int[] matched = [.. recalled.GetColumn<int>("MatchedPattern")];
    int[] sweeps = [.. recalled.GetColumn<int>("Iterations")];
    int right = Enumerable.Range(0, letters.Count).Count(i => matched[i] == i);
    string network = memory == classic ? $"classic ({rule})" : "modern";
    Console.WriteLine($"{damage}, {network}: {right} of {letters.Count} letters completed to themselves.");
    report.AddRange(Enumerable.Range(0, letters.Count).Select(k => $"{network}\t{damage}\t{letters[k]}\t{(matched[k] >= 0 ? letters[matched[k]] : '?')}"));
    if (!show) return right;
    for (int i = 0; i < letters.Count; i += 4)
    {
        string[][] before = [.. Enumerable.Range(i, Math.Min(4, letters.Count - i)).Select(k => Glyphs.Lines(inputs[k]))];
        string[][] after = [.. Enumerable.Range(i, Math.Min(4, letters.Count - i)).Select(k => Glyphs.Lines(states[k]))];
        Console.WriteLine(string.Join("     ", Enumerable.Range(i, before.Length).Select(k => $"{letters[k]} -> {(matched[k] >= 0 ? letters[matched[k]].ToString() : "?"),-1} ({sweeps[k]} sweeps)".PadRight(2 * Glyphs.Side + 3))));
        for (int r = 0; r < Glyphs.Side; r++)
            Console.WriteLine(string.Join("     ", Enumerable.Range(0, before.Length).Select(k => before[k][r] + " " + after[k][r] + "  ")));
        Console.WriteLine();
    }
    if (arguments.Plots is string folder) DrawRecall(folder, damage, inputs, states);
    return right;
}
// The same damaged copies for both networks (the noise drawn once per letter).
float[][] noiseOf = [.. letters.Select(l => Glyphs.Noisy(Glyphs.Draw(l), 0.15, random))];
float[] Noisy(float[] pixels) => noiseOf[Enumerable.Range(0, letters.Count).First(k => Glyphs.Draw(letters[k]).SequenceEqual(pixels))];
int noisy = Complete(classic, "15% of pixels flipped", Noisy, show: true);
int half = Complete(classic, "lower half erased", Glyphs.HalfErased, show: true);
int modernNoisy = Complete(modernMemory, "15% of pixels flipped", Noisy, show: false);
int modernHalf = Complete(modernMemory, "lower half erased", Glyphs.HalfErased, show: false);

// 2. Capacity on random patterns of N = 400 neurons, from 5% flipped bits, recalled within 5% errors.
const int N = 400;
var clock = Stopwatch.StartNew();
IReadOnlyList<(double Load, double Recalled)> hebbianCurve = HopfieldCapacity.Curve(N, HopfieldLearningRule.Hebbian, arguments.Seed);
IReadOnlyList<(double Load, double Recalled)> storkeyCurve = HopfieldCapacity.Curve(N, HopfieldLearningRule.Storkey, arguments.Seed);
double hebbian = HopfieldCapacity.Capacity(hebbianCurve), storkey = HopfieldCapacity.Capacity(storkeyCurve);
double modern = HopfieldCapacity.ModernRecall(N, 2 * N, beta: 0.1f, arguments.Seed);
Console.WriteLine($"Capacity of N = {N} neurons (largest load P/N at which half the patterns come back from 5% noise within 5% errors; {clock.Elapsed.TotalSeconds:F1} s):");
Console.WriteLine($"  classic, Hebbian rule   {hebbian:F3}   (theory for N -> infinity: 0.138)");
Console.WriteLine($"  classic, Storkey rule   {storkey:F3}");
Console.WriteLine($"  modern, beta 0.1        recalls {modern:P1} of {2 * N} patterns (a load of 2N)");
if (arguments.Plots is string plots)
{
    var plot = new Plot();
    foreach ((string name, IReadOnlyList<(double Load, double Recalled)> curve) in new[] { ("Hebbian", hebbianCurve), ("Storkey", storkeyCurve) })
        plot.Add.Scatter(curve.Select(c => c.Load).ToArray(), curve.Select(c => c.Recalled).ToArray()).LegendText = name;
    plot.Add.VerticalLine(0.138).LegendText = "0.138 (theory)";
    plot.Title($"Recall against load, N = {N}");
    plot.XLabel("load P/N");
    plot.YLabel("fraction recalled");
    plot.ShowLegend();
    TrainingPlots.Save(plot, plots, "capacity.png");
}
arguments.WritePredictions(report);
arguments.WriteMetrics(new Dictionary<string, object>
{
    ["hebbian_capacity"] = hebbian, ["storkey_capacity"] = storkey, ["modern_recall_at_2n"] = modern,
    ["letters_completed_from_noise"] = noisy, ["letters_completed_from_half"] = half, ["letters"] = letters.Count,
    ["modern_letters_completed_from_noise"] = modernNoisy, ["modern_letters_completed_from_half"] = modernHalf,
});
return 0;

static void DrawRecall(string folder, string damage, float[][] inputs, float[][] states)
{
    // Inputs in the top row, recalled states below, as one heat map.
    int count = inputs.Length, side = Glyphs.Side;
    double[,] cells = new double[2 * side + 1, count * (side + 1)];
    for (int k = 0; k < count; k++)
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
            {
                cells[r, k * (side + 1) + c] = inputs[k][r * side + c];
                cells[side + 1 + r, k * (side + 1) + c] = states[k][r * side + c];
            }
    var plot = new Plot();
    plot.Add.Heatmap(cells);
    plot.Title($"{damage}: inputs (top) and recalled (bottom)");
    plot.HideGrid();
    TrainingPlots.Save(plot, folder, $"recall-{(damage.StartsWith("lower") ? "half" : "noise")}.png", 1200, 400);
}
