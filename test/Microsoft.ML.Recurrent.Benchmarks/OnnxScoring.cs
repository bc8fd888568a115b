using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Recurrent.Onnx;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>
/// Batch scoring of the Sentiment-style pipeline's recurrent model on 20,000 sentences of 20 words, both sides
/// starting from the cached key column (tokenizing and key mapping stay in ML.NET and are not timed): our batched
/// <c>Transform</c> reading the Score column, against ONNX Runtime running the exported model on padded batches of
/// 256 rows (as many as our Transform scores at once).
/// </summary>
internal static class OnnxScoring
{
    private const int Batch = 256;

    /// <summary>Rows/s of our batched Transform and of ONNX Runtime on the same model, at <paramref name="threads"/> threads.</summary>
    public static (double Ours, double Onnx) Measure(CellType cell, int hidden, bool bidirectional, int threads, int repeats)
    {
        (MLContext ml, ITransformer model, ScoringBenchmark.Sentence[] rows, IDataView data) = ScoringBenchmark.Fit(cell, hidden, bidirectional);
        ITransformer[] parts = [.. (IEnumerable<ITransformer>)model];
        IDataView keys = ml.Data.Cache(new TransformerChain<ITransformer>(parts[..^1]).Transform(data));
        ITransformer recurrent = parts[^1];
        uint[][] tokens = [.. keys.GetColumn<VBuffer<uint>>("Features").Select(v => v.DenseValues().ToArray())];
        using var session = new InferenceSession(OnnxExport.Export(recurrent), OnnxWorkloads.Options(threads));
        var batches = new List<List<NamedOnnxValue>>();
        for (int start = 0; start < tokens.Length; start += Batch)
        {
            int b = Math.Min(Batch, tokens.Length - start), time = tokens.Skip(start).Take(b).Max(t => t.Length);
            long[] ids = new long[b * time];
            int[] lengths = new int[b];
            for (int i = 0; i < b; i++)
            {
                uint[] row = tokens[start + i];
                lengths[i] = row.Length;
                for (int t = 0; t < row.Length; t++) ids[i * time + t] = row[t];
            }
            batches.Add([NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(ids, [b, time])), NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(lengths, [b, 1]))]);
        }
        double ours = 0, onnx = 0;
        void Ours() { foreach (float s in recurrent.Transform(keys).GetColumn<float>("Score")) ours += s; }
        void Onnx()
        {
            foreach (List<NamedOnnxValue> inputs in batches)
            {
                using var results = session.Run(inputs, ["Score"]);
                foreach (float s in results[0].AsTensor<float>()) onnx += s;
            }
        }
        Ours(); Onnx();
        if (Math.Abs(ours - onnx) > 1e-3 * Math.Max(1, Math.Abs(ours))) throw new InvalidOperationException($"The two sides disagree: score sums {ours} and {onnx}.");
        var oursTimes = new List<double>();
        var onnxTimes = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            oursTimes.Add(ScoringBenchmark.Time(Ours));
            onnxTimes.Add(ScoringBenchmark.Time(Onnx));
        }
        oursTimes.Sort();
        onnxTimes.Sort();
        return (rows.Length / oursTimes[repeats / 2], rows.Length / onnxTimes[repeats / 2]);
    }
}
