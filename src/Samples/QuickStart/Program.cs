// QuickStart: train an LSTM on the adding problem, data generated on the fly.
// Usage: dotnet run -c Release --project src/Samples/QuickStart [-- --length 50 --steps 1500 --seed 1 --cell Lstm]
using System.Diagnostics;
using Microsoft.ML.Recurrent.Data.Synthetic;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;

var options = QuickStartOptions.Parse(args);
const int batch = 32, hidden = 32;
Console.WriteLine($"Adding problem: T={options.Length}, batch {batch}, {options.Cell} with H={hidden}, Adam, clip 1.0, seed {options.Seed}.");
Console.WriteLine($"Baseline (always predict 1.0): MSE {AddingProblem.BaselineMse:F3}. Target: MSE < 0.01.");

var model = new ManyToOneNetwork(options.Cell, AddingProblem.Features, hidden, outputSize: 1, seed: options.Seed);
var optimizer = new Adam(model.Parameters, learningRate: 0.01f);
var random = new Random(options.Seed);
var layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(options.Length, batch).ToArray());
float[] input = new float[options.Length * batch * AddingProblem.Features], targets = new float[batch];

var clock = Stopwatch.StartNew();
double recent = 0;
for (int step = 1; step <= options.Steps; step++)
{
    AddingProblem.Sample(batch, options.Length, random, input, targets);
    double loss = model.TrainRegressionStep(layout, input, targets, optimizer, maxGradientNorm: 1.0);
    recent = step == 1 ? loss : 0.95 * recent + 0.05 * loss;
    if (step % 100 == 0) Console.WriteLine($"step {step,5}  train MSE (smoothed) {recent:F4}  {step * batch / clock.Elapsed.TotalSeconds,7:F0} sequences/s");
}

// Fresh data the model never saw.
const int testBatches = 20;
double testLoss = 0;
for (int i = 0; i < testBatches; i++)
{
    AddingProblem.Sample(batch, options.Length, random, input, targets);
    testLoss += MeanSquaredError.Compute(model.Forward(layout, input), targets, default) / testBatches;
}
Console.WriteLine($"Test MSE on {testBatches * batch} new sequences: {testLoss:F4} (baseline {AddingProblem.BaselineMse:F3}) after {clock.Elapsed.TotalSeconds:F1} s.");
return testLoss < AddingProblem.BaselineMse ? 0 : 1;

/// <summary>Command-line flags of the QuickStart.</summary>
internal sealed record QuickStartOptions(int Length, int Steps, int Seed, CellType Cell)
{
    public static QuickStartOptions Parse(string[] args)
    {
        var o = new QuickStartOptions(50, 1500, 1, CellType.Lstm);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--length" => o with { Length = int.Parse(Next()) },
                "--steps" => o with { Steps = int.Parse(Next()) },
                "--seed" => o with { Seed = int.Parse(Next()) },
                "--epochs" => o with { Steps = 100 * int.Parse(Next()) },
                "--cell" => o with { Cell = Enum.Parse<CellType>(Next(), ignoreCase: true) },
                _ => throw new ArgumentException($"Unknown flag '{args[i]}'. Flags: --length N, --steps N, --epochs N (x100 steps), --seed N, --cell Lstm|Gru|ElmanTanh|ElmanRelu."),
            };
        }
        return o;
    }
}
