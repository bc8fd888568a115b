// Side-by-side timings of our engine and TorchSharp-cpu (libtorch) on the workloads of the speed issue,
// in one process, at each thread count, each side warmed up and then timed; prints a table and writes JSON.
// Usage: bash build/bench.sh [--quick] [--threads 1,2] [--only A,B] [--json PATH]
using Microsoft.ML.Recurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.Recurrent.Benchmarks;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Threading;

bool quick = args.Contains("--quick");
int[] threadCounts = Flag("--threads")?.Split(',').Select(int.Parse).ToArray() ?? [1, 2];
string[]? only = Flag("--only")?.Split(',');
string jsonPath = Flag("--json") ?? Path.Combine("artifacts", "bench.json");
int repeats = quick ? 10 : 30, warmups = quick ? 3 : 5;

Console.WriteLine(TorchLoader.Prepare());
int[] full100 = Enumerable.Repeat(100, 32).ToArray(), varied = Data.Lengths(32, 10, 100, seed: 7);
double Train(int gates, int layers, int directions, int[] lengths, int input, int hidden)
{
    // 3 * 2 * G*H*(I+H) * tokens per layer and direction; upper layers read D*H inputs.
    double total = 0;
    for (int l = 0; l < layers; l++) total += directions * 3.0 * 2 * gates * hidden * ((l == 0 ? input : directions * hidden) + hidden) * lengths.Sum();
    return total;
}
Workload[] workloads =
[
    new("A", "LSTM train B32 T100 I128 H256", Train(4, 1, 1, full100, 128, 256),
        () => OurWorkloads.Recurrent(CellType.Lstm, 1, false, full100, 128, 256, training: true),
        () => TorchWorkloads.Recurrent(gru: false, 1, false, full100, 128, 256, training: true)),
    new("B", "BiLSTM 2 layers train B32 T100", Train(4, 2, 2, full100, 128, 256),
        () => OurWorkloads.Recurrent(CellType.Lstm, 2, true, full100, 128, 256, training: true),
        () => TorchWorkloads.Recurrent(gru: false, 2, true, full100, 128, 256, training: true)),
    new("C", "GRU train B32 T100 I128 H256", Train(3, 1, 1, full100, 128, 256),
        () => OurWorkloads.Recurrent(CellType.Gru, 1, false, full100, 128, 256, training: true),
        () => TorchWorkloads.Recurrent(gru: true, 1, false, full100, 128, 256, training: true)),
    new("D", "LSTM infer B1 T50 I64 H128", 2.0 * 4 * 128 * (64 + 128) * 50,
        () => OurWorkloads.Recurrent(CellType.Lstm, 1, false, [50], 64, 128, training: false),
        () => TorchWorkloads.Recurrent(gru: false, 1, false, [50], 64, 128, training: false)),
    new("E", "LSTM infer B64 T100 I128 H256", 2.0 * 4 * 256 * (128 + 256) * 64 * 100,
        () => OurWorkloads.Recurrent(CellType.Lstm, 1, false, Enumerable.Repeat(100, 64).ToArray(), 128, 256, training: false),
        () => TorchWorkloads.Recurrent(gru: false, 1, false, Enumerable.Repeat(100, 64).ToArray(), 128, 256, training: false)),
    new("F", "CTC fwd+bwd T200 B16 C29 S40", 0,
        () => OurWorkloads.Ctc(200, 16, 29, 40), () => TorchWorkloads.Ctc(200, 16, 29, 40)),
    new("G", "SGEMM 512x512x512", 2.0 * 512 * 512 * 512, () => OurWorkloads.Sgemm(512), () => TorchWorkloads.Sgemm(512)),
    new("H", $"LSTM train packed lengths 10-100 ({varied.Sum()} tokens)", Train(4, 1, 1, varied, 128, 256),
        () => OurWorkloads.Recurrent(CellType.Lstm, 1, false, varied, 128, 256, training: true),
        () => TorchWorkloads.Recurrent(gru: false, 1, false, varied, 128, 256, training: true)),
    // The tagging issue's rows: a BiLSTM-CRF training step (B32 T30, word embedding 100 + character CNN, H128 per direction, 20 tags) and batched Viterbi.
    new("I", "BiLSTM-CRF train step B32 T30 H128 K20", Train(4, 1, 2, Enumerable.Repeat(30, 32).ToArray(), 130, 128),
        () => OurWorkloads.TaggerStep(32, 30, 5000, 60, 20, 128), () => TorchWorkloads.TaggerStep(32, 30, 5000, 60, 20, 128)),
    new("J", "CRF Viterbi decode B32 T30 K20", 0, () => OurWorkloads.Viterbi(32, 30, 20), () => TorchWorkloads.Viterbi(32, 30, 20)),
    // The language-model issue's rows: a character-LM training step (2 x LSTM 512, B64 T128, embedding 128, softmax over 65) and greedy generation at batch 1.
    new("K", "char-LM train step 2xH512 B64 T128 V65", Train(4, 2, 1, Enumerable.Repeat(128, 64).ToArray(), 128, 512) + 3.0 * 2 * 512 * 65 * 64 * 128,
        () => OurWorkloads.LanguageModelStep(2, 512, 64, 128, 65, 128), () => TorchWorkloads.LanguageModelStep(2, 512, 64, 128, 65, 128)),
    new("L", "char-LM generate 100 symbols B1 2xH512", 100 * 2.0 * (4 * 512 * (128 + 512) + 4 * 512 * 1024 + 512 * 65),
        () => OurWorkloads.Generate(2, 512, 65, 128, 100), () => TorchWorkloads.Generate(2, 512, 65, 128, 100)),
    // The seq2seq issue's rows: a training step (source and target length 12, vocabularies 30/45, embedding 64, BiLSTM encoder H256,
    // LSTM decoder H256 with additive attention and input feeding, B64) and beam decoding (width 5) of 16 sources.
    new("M", "seq2seq train step B64 S12 T12 H256 attn", Train(4, 1, 2, Enumerable.Repeat(12, 64).ToArray(), 64, 256)
        + 3.0 * 2 * 64 * 13 * (4 * 256 * (64 + 2 * 256) + 768 * 256 + 256 * 45 + 256 * 256 + 12 * 256) + 3.0 * 2 * 64 * 12 * 512 * 256,
        () => OurWorkloads.Seq2SeqStep(64, 12, 30, 45, 64, 256), () => TorchWorkloads.Seq2SeqStep(64, 12, 30, 45, 64, 256)),
    new("N", "seq2seq beam 5 decode 16 sources x 12", 0,
        () => OurWorkloads.Seq2SeqBeam(16, 12, 30, 45, 64, 256, 5), () => TorchWorkloads.Seq2SeqBeam(16, 12, 30, 45, 64, 256, 5)),
    // The speech issue's row: a Deep Speech 2-style training step, B=16 utterances of 2 s at 100 frames/s, 40 log-mel bands,
    // a 32-channel 11x11 convolution with stride (2, 2), batch norm, 3 BiGRU layers of 256, 29 classes, CTC, Adam.
    new("P", "DS2 train step B16 T200 F40 conv32 3xBiGRU256", Train(3, 3, 2, Enumerable.Repeat(100, 16).ToArray(), 32 * 20, 256) + 3.0 * 2 * 32 * 121 * 100 * 20 * 16,
        () => OurWorkloads.SpeechStep(16, 200, 40, 32, 256, 3, 29, 20), () => TorchWorkloads.SpeechStep(16, 200, 40, 32, 256, 3, 29, 20)),
    // Its feature extraction: log-mel of the same 16 utterances of 2 s at 16 kHz (25 ms window, 10 ms hop, 40 mels).
    new("Q", "log-mel features B16 2 s 16 kHz", 0, () => OurWorkloads.LogMel(16, 2, 16000), () => TorchWorkloads.LogMel(16, 2, 16000)),
];

double peak = PeakFlops.MeasureGflops();
string machine = MachineDescription();
Console.WriteLine($"Machine: {machine}, single-core FMA peak {peak:F1} GFLOP/s (register-blocked loop, {PeakFlops.Lanes * 32}-bit vectors). Median of >= {repeats} runs per side, alternating in blocks of 5 (each after a 250 ms pause and 30 ms of untimed runs), after >= {warmups} warm-up runs and >= 1 s.");
Console.WriteLine($"{"workload",-44} {"thr",3} {"ours ms",9} {"torch ms",9} {"ratio",6} {"GFLOP/s",8} {"alloc B",9}");
var results = new List<Dictionary<string, object>>();
foreach (int threads in threadCounts)
{
    WorkerPool.Parallelism = threads;
    TorchSharp.torch.set_num_threads(threads);
    foreach (Workload w in workloads.Where(w => only is null || only.Contains(w.Id)))
    {
        (double ours, double torch, long allocated) = MeasurePair(w.Ours(), w.Torch());
        double gflops = w.Flops > 0 ? w.Flops / ours / 1e6 : 0;
        Console.WriteLine($"{w.Id + " " + w.Name,-44} {threads,3} {ours,9:F3} {torch,9:F3} {torch / ours,6:F2} {gflops,8:F1} {allocated,9}");
        results.Add(new() { ["workload"] = $"{w.Id} {w.Name}", ["threads"] = threads, ["ours_ms"] = ours, ["torch_ms"] = torch, ["ratio"] = torch / ours, ["gflops"] = gflops, ["alloc_bytes"] = allocated });
    }
}
// Scoring throughput of a fitted pipeline (20,000 sentences of 20 words): batched Transform vs one row at a time.
var scoring = new List<Dictionary<string, object>>();
if (only is null || only.Contains("S"))
{
    Console.WriteLine($"{"scoring (20,000 sentences x 20 words)",-44} {"thr",3} {"batched rows/s",15} {"row-by-row rows/s",18} {"ratio",6}");
    foreach (int threads in threadCounts)
    {
        WorkerPool.Parallelism = threads;
        foreach ((string name, CellType cell, int hidden, bool bidirectional) in new[] { ("S LSTM H64", CellType.Lstm, 64, false), ("S BiGRU H128", CellType.Gru, 128, true) })
        {
            (double batched, double single) = ScoringBenchmark.Measure(cell, hidden, bidirectional, quick ? 3 : 5);
            Console.WriteLine($"{name,-44} {threads,3} {batched,15:F0} {single,18:F0} {batched / single,6:F2}");
            scoring.Add(new() { ["workload"] = name, ["threads"] = threads, ["batched_rows_per_s"] = batched, ["row_by_row_rows_per_s"] = single, ["ratio"] = batched / single });
        }
    }
}
// ONNX Runtime as the peer (the deploy issue): the same networks exported by our ONNX export, at each thread count.
var onnxRows = new List<Dictionary<string, object>>();
(string Id, string Name, int[] Lengths, int Input, int Hidden)[] onnxWorkloads =
[
    ("OD", "LSTM infer B1 T50 I64 H128 vs ORT", [50], 64, 128),
    ("OE", "LSTM infer B64 T100 I128 H256 vs ORT", Enumerable.Repeat(100, 64).ToArray(), 128, 256),
];
if (only is null || only.Any(o => o.StartsWith('O')))
{
    Console.WriteLine($"{"ONNX Runtime peer",-44} {"thr",3} {"ours ms",9} {"ORT ms",9} {"ratio",6}");
    foreach (int threads in threadCounts)
    {
        WorkerPool.Parallelism = threads;
        foreach (var w in onnxWorkloads.Where(w => only is null || only.Contains(w.Id)))
        {
            (double ours, double ort, _) = MeasurePair(OurWorkloads.Recurrent(CellType.Lstm, 1, false, w.Lengths, w.Input, w.Hidden, training: false),
                OnnxWorkloads.Recurrent(CellType.Lstm, w.Lengths, w.Input, w.Hidden, threads));
            Console.WriteLine($"{w.Id + " " + w.Name,-44} {threads,3} {ours,9:F3} {ort,9:F3} {ort / ours,6:F2}");
            onnxRows.Add(new() { ["workload"] = $"{w.Id} {w.Name}", ["threads"] = threads, ["ours_ms"] = ours, ["ort_ms"] = ort, ["ratio"] = ort / ours });
        }
        if (only is null || only.Contains("OS"))
        {
            (double oursRows, double ortRows) = OnnxScoring.Measure(CellType.Gru, 128, true, threads, quick ? 3 : 5);
            Console.WriteLine($"{"OS BiGRU H128 scoring 20,000 x 20 (rows/s)",-44} {threads,3} {oursRows,9:F0} {ortRows,9:F0} {oursRows / ortRows,6:F2}");
            onnxRows.Add(new() { ["workload"] = "OS BiGRU H128 scoring 20,000 sentences x 20 words", ["threads"] = threads, ["ours_rows_per_s"] = oursRows, ["ort_rows_per_s"] = ortRows, ["ratio"] = oursRows / ortRows });
        }
    }
}
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { machine, peak_gflops_single_core = peak, date = DateTime.UtcNow.ToString("yyyy-MM-dd"), results, scoring, onnx = onnxRows }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"Wrote {jsonPath}. ratio = peer time / our time, or our rows/s / the peer's (> 1: we are faster).");
return 0;

(double Ours, double Torch, long Allocated) MeasurePair(Action ours, Action torch)
{
    // Warm both up until the JIT has tiered every hot method up (at least `warmups` runs and one second each),
    // then alternate the two sides so both see the same machine conditions; report each side's median.
    foreach (Action run in new[] { ours, torch })
    {
        long warmStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmups || Stopwatch.GetElapsedTime(warmStart).TotalSeconds < 1; i++) run();
    }
    // Bytes one of our runs allocates: the least of three runs, so a one-off allocation of the runtime's own
    // (tiering, timers) during a run is not charged to the workload, while a per-run allocation shows in all three.
    long allocated = long.MaxValue;
    for (int i = 0; i < 3; i++)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        ours();
        allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - before);
    }
    // Alternate blocks of runs, so load changes hit both sides alike. Before each block: a pause that outlasts
    // the other side's spinning helper threads (OpenMP's spin for milliseconds after a parallel region and, still
    // spinning, slowed our two-thread runs by up to 40% after a 30 ms pause), then untimed runs for at least
    // 30 ms so the block starts warm (caches, clock) however short one run is.
    const int block = 5;
    var oursList = new List<double>(repeats);
    var torchList = new List<double>(repeats);
    while (oursList.Count < repeats)
    {
        foreach ((Action run, List<double> times) in new[] { (ours, oursList), (torch, torchList) })
        {
            Thread.Sleep(250);
            long warm = Stopwatch.GetTimestamp();
            do run(); while (Stopwatch.GetElapsedTime(warm).TotalMilliseconds < 30);
            for (int i = 0; i < block; i++) times.Add(Time(run));
        }
    }
    double[] oursTimes = [.. oursList], torchTimes = [.. torchList];
    Array.Sort(oursTimes);
    Array.Sort(torchTimes);
    return (oursTimes[oursTimes.Length / 2], torchTimes[torchTimes.Length / 2], allocated);
}

// Processor count, model (Linux) and the vector instruction sets the runtime uses, so runs on different machines can be told apart.
static string MachineDescription()
{
    string model = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown model"
        : "unknown model";
    string isa = string.Join(", ",
        System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "AVX2" : "no AVX2",
        System.Runtime.Intrinsics.X86.Fma.IsSupported ? "FMA" : "no FMA",
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "AVX-512 (our GEMM tiles use it)" : "no AVX-512");
    return $"{Environment.ProcessorCount} cores, {model}, {isa}";
}

static double Time(Action run)
{
    long start = Stopwatch.GetTimestamp();
    run();
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

string? Flag(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
