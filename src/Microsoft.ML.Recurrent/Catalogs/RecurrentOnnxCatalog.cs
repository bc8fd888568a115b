using Microsoft.ML.Recurrent.Onnx;
using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// ONNX export of the recurrent part of a pipeline, beside ML.NET's <c>mlContext.Model.ConvertToOnnx</c>:
/// <c>mlContext.Model.ConvertRecurrentToOnnx(model, path)</c>. The exported model takes token ids (or frames) and
/// their lengths and returns the transformer's prediction columns; ONNX Runtime (C++, Python, mobile, servers) runs it.
/// Opset 17 (IR 8); the LSTM, GRU and RNN operators with <c>sequence_lens</c> carry the recurrent layers.
/// </summary>
public static class RecurrentOnnxCatalog
{
    /// <summary>Writes the recurrent model of <paramref name="model"/> (a transformer or a chain holding one) as ONNX to <paramref name="stream"/>.</summary>
    /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
    /// <param name="model">A fitted recurrent sequence model, or a chain with one (the other parts, such as tokenizers and key mappings, stay in ML.NET).</param>
    /// <param name="stream">Receives the ONNX model.</param>
    /// <exception cref="NotSupportedException">The chain holds no recurrent model, several, or one of a kind the export does not cover (the message says which).</exception>
    /// <example>
    /// <code>
    /// ml.Model.ConvertRecurrentToOnnx(model, File.Create("sentiment.onnx"));
    /// // In ONNX Runtime: inputs "tokens" (int64 [batch, time], the key values of MapValueToKey) and "lengths" (int32 [batch, 1]);
    /// // outputs "Score", "Probability", "PredictedLabel".
    /// </code>
    /// </example>
    public static void ConvertRecurrentToOnnx(this ModelOperationsCatalog catalog, ITransformer model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(OnnxExport.Export(model));
    }

    /// <summary>Writes the recurrent model of <paramref name="model"/> as ONNX to <paramref name="filePath"/>, atomically (an existing file survives a failure).</summary>
    /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
    /// <param name="model">A fitted recurrent sequence model, or a chain with one.</param>
    /// <param name="filePath">The .onnx file; its folder must exist.</param>
    /// <exception cref="NotSupportedException">The chain holds no recurrent model, several, or one of a kind the export does not cover.</exception>
    public static void ConvertRecurrentToOnnx(this ModelOperationsCatalog catalog, ITransformer model, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        AtomicFile.Write(filePath, OnnxExport.Export(model));
    }
}
