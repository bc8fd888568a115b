// Side-by-side timings. This first version times our engine only; the TorchSharp-cpu side of each
// workload arrives with the speed issue (it needs the libLibTorchSharp.so loader fix described in
// ../shared/notes/peer-and-machine.md).
using System.Diagnostics;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

int repeats = args.Contains("--quick") ? 3 : 10;
Console.WriteLine($"workload                          ours_ms   gflops   (median of {repeats}, after warm-up; {Environment.ProcessorCount} cores visible)");
Report("G sgemm 512^3 (NN)", 2.0 * 512 * 512 * 512, Sgemm(512), repeats);
Report("A LSTM train B32 T100 I128 H256", 3.0 * 2 * 4 * 256 * (128 + 256) * 32 * 100, LstmTrainStep(32, 100, 128, 256), repeats);
return 0;

static void Report(string name, double flops, Action run, int repeats)
{
    run();
    var times = new double[repeats];
    for (int i = 0; i < repeats; i++)
    {
        var clock = Stopwatch.StartNew();
        run();
        times[i] = clock.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    double median = times[repeats / 2];
    Console.WriteLine($"{name,-32} {median,9:F2} {flops / median / 1e6,8:F1}");
}

static Action Sgemm(int n)
{
    var random = new Random(1);
    float[] a = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray();
    float[] b = (float[])a.Clone(), c = new float[n * n];
    return () => Gemm.NN(n, n, n, a, n, b, n, c, n, accumulate: false);
}

static Action LstmTrainStep(int batch, int length, int input, int hidden)
{
    var net = new RecurrentNetwork(CellType.Lstm, input, hidden);
    var random = new Random(1);
    foreach (var p in net.Parameters)
        for (int i = 0; i < p.Size; i++) p.Value[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
    var layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(length, batch).ToArray());
    float[] x = Enumerable.Range(0, layout.TotalSteps * input).Select(_ => (float)random.NextDouble()).ToArray();
    float[] y = new float[layout.TotalSteps * hidden], dy = Enumerable.Repeat(0.01f, y.Length).ToArray(), dx = new float[x.Length];
    return () =>
    {
        net.Forward(layout, x, default, default, y, default, default);
        net.Backward(layout, x, default, default, y, dy, default, default, dx, default, default);
    };
}
