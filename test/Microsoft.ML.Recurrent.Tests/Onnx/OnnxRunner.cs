using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime on the sequences of a data view's column, padded into one batch.</summary>
internal static class OnnxRunner
{
    /// <summary>Every output of the model for all rows of <paramref name="data"/>'s key-vector or Single-vector column <paramref name="column"/>.</summary>
    public static Dictionary<string, float[]> Run(byte[] model, IDataView data, string column, int frameSize = 1)
    {
        using var session = new InferenceSession(model);
        DataViewSchema.Column source = data.Schema[column];
        bool tokens = source.Type is VectorDataViewType { ItemType: KeyDataViewType };
        List<float[]> sequences = tokens
            ? [.. data.GetColumn<VBuffer<uint>>(column).Select(v => v.DenseValues().Select(k => (float)k).ToArray())]
            : [.. data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray())];
        int batch = sequences.Count, time = sequences.Max(s => s.Length) / frameSize;
        int[] lengths = [.. sequences.Select(s => s.Length / frameSize)];
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(lengths, [batch, 1])) };
        if (tokens)
        {
            // Padding with a key the model knows, so a wrong mask would show.
            long[] ids = new long[batch * time];
            Array.Fill(ids, 1);
            for (int b = 0; b < batch; b++) for (int t = 0; t < lengths[b]; t++) ids[b * time + t] = (long)sequences[b][t];
            inputs.Add(NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(ids, [batch, time])));
        }
        else
        {
            float[] frames = new float[batch * time * frameSize];
            Array.Fill(frames, 0.5f);
            for (int b = 0; b < batch; b++) sequences[b].CopyTo(frames, b * time * frameSize);
            inputs.Add(NamedOnnxValue.CreateFromTensor("frames", new DenseTensor<float>(frames, [batch, time, frameSize])));
        }
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => r.Value switch
        {
            Tensor<float> f => f.ToArray(),
            Tensor<long> l => l.ToArray().Select(v => (float)v).ToArray(),
            Tensor<bool> b => b.ToArray().Select(v => v ? 1f : 0f).ToArray(),
            var other => throw new InvalidOperationException($"Output {r.Name} has type {other?.GetType().Name}."),
        });
    }

    /// <summary>Largest |a - b|.</summary>
    public static float MaxError(float[] a, float[] b)
    {
        Assert.HasCount(a.Length, b);
        return a.Zip(b).Max(p => Math.Abs(p.First - p.Second));
    }
}
