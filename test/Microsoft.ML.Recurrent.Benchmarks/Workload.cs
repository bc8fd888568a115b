namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>One benchmark: the same computation set up for our engine and for TorchSharp.</summary>
/// <param name="Id">Short id (A..H) from the speed issue.</param>
/// <param name="Name">What it computes.</param>
/// <param name="Flops">Floating-point operations of one run (0 when not meaningful).</param>
/// <param name="Ours">Builds our side and returns one run of it.</param>
/// <param name="Torch">Builds TorchSharp's side and returns one run of it.</param>
internal sealed record Workload(string Id, string Name, double Flops, Func<Action> Ours, Func<Action> Torch);
