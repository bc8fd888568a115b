// The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015), on the engine directly: each
// sequence has T steps of (value, marker) and the target is the sum of the two marked values. It is the
// seeds' claim side by side: LSTM, GRU and IRNN learn it at T=100; a tanh Elman network stays near the
// baseline of always predicting 1 (MSE 0.167).
// Usage: dotnet run -c Release --project src/Samples/AddingProblem [-- --length 100 --steps N --seed 1
//        --cells Lstm,Gru,ElmanRelu,ElmanTanh --plots DIR --metrics PATH]
using System.Diagnostics;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Data.Synthetic;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Training;
using Microsoft.ML.Recurrent.Samples;

const string usage = "Flags: --length N (default 100) --steps N (default 3000, IRNN 6000) --epochs N (x100 steps) --seed N --cells Lstm,Gru,ElmanRelu,ElmanTanh --plots DIR --metrics PATH";
SampleArguments arguments = SampleArguments.Parse(args, usage, "--length", "--steps", "--cells");
if (arguments.Onnx is not null) Console.WriteLine("--onnx: this sample trains the engine directly; there is no ML.NET model to export.");
int length = arguments.Int("--length", 100);
int? steps = arguments.Get("--steps") is not null ? arguments.Int("--steps", 0) : arguments.Get("--epochs") is not null ? 100 * arguments.Epochs(30) : null;
CellType[] cells = [.. (arguments.Get("--cells") ?? "Lstm,Gru,ElmanRelu,ElmanTanh").Split(',').Select(c => Enum.Parse<CellType>(c, ignoreCase: true))];
Console.WriteLine($"Adding problem: T={length}, batch 32, H=32, Adam, clip 1.0, seed {arguments.Seed}.");
Console.WriteLine($"Baseline (always predict 1.0): MSE {AddingProblem.BaselineMse:F3}. Solved: MSE < 0.01.");

var results = new List<(CellType Cell, double Mse, double Seconds, List<(int Step, double Mse)> Curve)>();
foreach (CellType cell in cells) results.Add(Train(cell, length, steps, arguments.Seed));

Console.WriteLine();
Console.WriteLine("cell        test MSE   solved   seconds");
foreach (var (cell, mse, seconds, _) in results)
    Console.WriteLine($"{cell,-10} {mse,9:F4}   {(mse < 0.01 ? "yes" : "no"),-6} {seconds,8:F1}");
if (arguments.Plots is string plots)
{
    var plot = new ScottPlot.Plot();
    foreach (var (cell, _, _, curve) in results)
        plot.Add.Scatter(curve.Select(p => (double)p.Step).ToArray(), curve.Select(p => Math.Log10(p.Mse)).ToArray()).LegendText = cell.ToString();
    var baseline = plot.Add.HorizontalLine(Math.Log10(AddingProblem.BaselineMse));
    baseline.LegendText = "baseline (predict 1)";
    plot.Title($"Adding problem, T={length}: smoothed training MSE");
    plot.XLabel("step");
    plot.YLabel("log10 MSE");
    plot.ShowLegend();
    TrainingPlots.Save(plot, plots, "adding-problem.png");
}
arguments.WriteMetrics(results.ToDictionary(r => $"{r.Cell}_mse".ToLowerInvariant(), r => (object)r.Mse));
return 0;

static (CellType, double, double, List<(int, double)>) Train(CellType cell, int length, int? stepsOption, int seed)
{
    const int batch = 32, hidden = 32;
    // IRNN (ElmanRelu) is identity-initialized and wants a smaller step, and more of them, than the gated cells.
    float learningRate = cell == CellType.ElmanRelu ? 0.002f : 0.01f;
    int steps = stepsOption ?? (cell == CellType.ElmanRelu ? 6000 : 3000);
    var model = new ManyToOneNetwork(cell, AddingProblem.Features, hidden, outputSize: 1, seed: seed);
    var optimizer = new Adam(model.Parameters, learningRate);
    var random = new Random(seed);
    var layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(length, batch).ToArray());
    float[] input = new float[length * batch * AddingProblem.Features], targets = new float[batch], gradient = new float[batch];
    var clock = Stopwatch.StartNew();
    var curve = new List<(int, double)>();
    double recent = 0;
    for (int step = 1; step <= steps; step++)
    {
        AddingProblem.Sample(batch, length, random, input, targets);
        double loss = MeanSquaredError.Compute(model.Forward(layout, input), targets, gradient);
        model.Backward(gradient);
        GradientClipping.ClipByGlobalNorm(model.Parameters, maxNorm: 1.0);
        optimizer.Step();
        optimizer.ZeroGradients();
        recent = step == 1 ? loss : 0.95 * recent + 0.05 * loss;
        if (step % 50 == 0) curve.Add((step, recent));
        if (step % 500 == 0) Console.WriteLine($"{cell,-10} step {step,5}  train MSE (smoothed) {recent:F4}  {step * batch / clock.Elapsed.TotalSeconds,7:F0} sequences/s");
    }
    // Fresh data the model never saw.
    const int testBatches = 20;
    double testLoss = 0;
    for (int i = 0; i < testBatches; i++)
    {
        AddingProblem.Sample(batch, length, random, input, targets);
        testLoss += MeanSquaredError.Compute(model.Forward(layout, input), targets, default) / testBatches;
    }
    return (cell, testLoss, clock.Elapsed.TotalSeconds, curve);
}
