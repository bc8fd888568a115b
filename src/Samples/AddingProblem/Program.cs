// The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015), on the engine directly: each
// sequence has T steps of (value, marker) and the target is the sum of the two marked values. It is the
// seeds' claim side by side: LSTM, GRU and IRNN learn it at T=100; a tanh Elman network stays near the
// baseline of always predicting 1 (MSE 0.167).
// Usage: dotnet run -c Release --project src/Samples/AddingProblem [-- --length 100 --steps N (default 3000, IRNN 6000) --seed 1 --cells Lstm,Gru,ElmanRelu,ElmanTanh]
using Microsoft.ML.Recurrent;
using System.Diagnostics;
using Microsoft.ML.Recurrent.Data.Synthetic;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Training;

var options = AddingOptions.Parse(args);
Console.WriteLine($"Adding problem: T={options.Length}, batch 32, H=32, Adam, clip 1.0, seed {options.Seed}.");
Console.WriteLine($"Baseline (always predict 1.0): MSE {AddingProblem.BaselineMse:F3}. Solved: MSE < 0.01.");
var results = new List<(CellType Cell, double Mse, double Seconds)>();
foreach (CellType cell in options.Cells)
{
    (double mse, double seconds) = Train(cell, options);
    results.Add((cell, mse, seconds));
}
Console.WriteLine();
Console.WriteLine("cell        test MSE   solved   seconds");
foreach (var (cell, mse, seconds) in results)
    Console.WriteLine($"{cell,-10} {mse,9:F4}   {(mse < 0.01 ? "yes" : "no"),-6} {seconds,8:F1}");
return 0;

static (double Mse, double Seconds) Train(CellType cell, AddingOptions options)
{
    const int batch = 32, hidden = 32;
    // IRNN (ElmanRelu) is identity-initialized and wants a smaller step, and more of them, than the gated cells.
    float learningRate = cell == CellType.ElmanRelu ? 0.002f : 0.01f;
    int steps = options.Steps ?? (cell == CellType.ElmanRelu ? 6000 : 3000);
    var model = new ManyToOneNetwork(cell, AddingProblem.Features, hidden, outputSize: 1, seed: options.Seed);
    var optimizer = new Adam(model.Parameters, learningRate);
    var random = new Random(options.Seed);
    var layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(options.Length, batch).ToArray());
    float[] input = new float[options.Length * batch * AddingProblem.Features], targets = new float[batch], gradient = new float[batch];
    var clock = Stopwatch.StartNew();
    double recent = 0;
    for (int step = 1; step <= steps; step++)
    {
        AddingProblem.Sample(batch, options.Length, random, input, targets);
        double loss = MeanSquaredError.Compute(model.Forward(layout, input), targets, gradient);
        model.Backward(gradient);
        GradientClipping.ClipByGlobalNorm(model.Parameters, maxNorm: 1.0);
        optimizer.Step();
        optimizer.ZeroGradients();
        recent = step == 1 ? loss : 0.95 * recent + 0.05 * loss;
        if (step % 250 == 0) Console.WriteLine($"{cell,-10} step {step,5}  train MSE (smoothed) {recent:F4}  {step * batch / clock.Elapsed.TotalSeconds,7:F0} sequences/s");
    }
    // Fresh data the model never saw.
    const int testBatches = 20;
    double testLoss = 0;
    for (int i = 0; i < testBatches; i++)
    {
        AddingProblem.Sample(batch, options.Length, random, input, targets);
        testLoss += MeanSquaredError.Compute(model.Forward(layout, input), targets, default) / testBatches;
    }
    return (testLoss, clock.Elapsed.TotalSeconds);
}

/// <summary>Command-line flags of the sample.</summary>
internal sealed record AddingOptions(int Length, int? Steps, int Seed, CellType[] Cells)
{
    public static AddingOptions Parse(string[] args)
    {
        var o = new AddingOptions(100, null, 1, [CellType.Lstm, CellType.Gru, CellType.ElmanRelu, CellType.ElmanTanh]);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--length" => o with { Length = int.Parse(Next()) },
                "--steps" => o with { Steps = int.Parse(Next()) },
                "--seed" => o with { Seed = int.Parse(Next()) },
                "--epochs" => o with { Steps = 100 * int.Parse(Next()) },
                "--cells" => o with { Cells = [.. Next().Split(',').Select(c => Enum.Parse<CellType>(c, ignoreCase: true))] },
                _ => throw new ArgumentException($"Unknown flag '{args[i]}'. Flags: --length N, --steps N, --epochs N (x100 steps), --seed N, --cells Lstm,Gru,ElmanRelu,ElmanTanh."),
            };
        }
        return o;
    }
}
