using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Onnx;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>
/// ONNX Runtime's side of the inference rows: the same network exported by our ONNX export and run by an
/// <see cref="InferenceSession"/> with the thread count of the row (intra-op threads, sequential execution).
/// </summary>
internal static class OnnxWorkloads
{
    /// <summary>Session options for <paramref name="threads"/> threads.</summary>
    public static SessionOptions Options(int threads) => new()
    {
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>
    /// The recurrent network of <see cref="OurWorkloads.Recurrent"/> (same weights and input) as an ONNX graph of its
    /// LSTM/GRU/RNN nodes: input X [T, B, I] and lengths [B], output the per-step states [T, B, D*H].
    /// </summary>
    public static Action Recurrent(CellType cell, int[] lengths, int input, int hidden, int threads)
    {
        var net = new RecurrentNetwork(cell, input, hidden);
        var random = new Random(1);
        foreach (var p in net.Parameters)
            for (int i = 0; i < p.Size; i++) p.Value[i] = (random.NextSingle() - 0.5f) * 0.1f;
        int batch = lengths.Length, time = lengths.Max();
        float[] x = Data.Uniform(time * batch * input, random);
        var graph = new OnnxGraph();
        string lens = graph.Input("lengths", OnnxGraph.Int32, "batch");
        string frames = graph.Input("x", OnnxGraph.Float, "time", "batch", input);
        (string y, _) = RecurrentOnnx.Add(graph, net, frames, lens);
        graph.Output(y, "y", OnnxGraph.Float, "time", "batch", hidden);
        var session = new InferenceSession(OnnxModelWriter.Write(graph, "recurrent", "benchmark"), Options(threads));
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(lengths, [batch])),
            NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, [time, batch, input])),
        };
        return () => { using var results = session.Run(inputs); };
    }
}
