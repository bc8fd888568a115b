using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Persistence;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Saving and loading whole pipelines that contain Microsoft.ML.Recurrent transformers:
/// <c>mlContext.Model.SaveRecurrentModel(model, schema, path)</c> and
/// <c>mlContext.Model.LoadRecurrentModel(path, out schema)</c>. ML.NET's <c>Save</c> cannot store
/// third-party transformers; this container stores ML.NET's parts with ML.NET's own format and ours in
/// a versioned, checksummed binary format. Saving to a path is atomic: the previous file survives any failure.
/// </summary>
public static class RecurrentModelCatalog
{
    /// <summary>Saves <paramref name="model"/> (any chain of ML.NET and recurrent transformers) with its input schema, atomically.</summary>
    /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
    /// <param name="model">The fitted pipeline.</param>
    /// <param name="inputSchema">The schema of the data the pipeline reads, or null to store none (as ML.NET's <c>Save</c> allows).</param>
    /// <param name="filePath">The model file; its folder must exist, and an existing file must be writable.</param>
    /// <exception cref="NotSupportedException">The chain holds a transformer neither library can save.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="filePath"/> does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException"><paramref name="filePath"/> is read-only or a folder.</exception>
    public static void SaveRecurrentModel(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        byte[] bytes = Serialize(catalog, model, inputSchema);
        AtomicFile.Write(filePath, bytes);
    }

    /// <summary>Writes <paramref name="model"/> with its input schema (or none, when null) to <paramref name="stream"/>.</summary>
    public static void SaveRecurrentModel(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(catalog, model, inputSchema));
    }

    /// <summary>Loads a model saved by <see cref="SaveRecurrentModel(ModelOperationsCatalog, ITransformer, DataViewSchema, string)"/>; a plain ML.NET model file also loads (through ML.NET, with a note in the log).</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, of a newer format version, or not a model file.</exception>
    public static ITransformer LoadRecurrentModel(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        return Deserialize(catalog, File.ReadAllBytes(filePath), filePath, out inputSchema);
    }

    /// <summary>Loads a model from <paramref name="stream"/> (read to its end).</summary>
    public static ITransformer LoadRecurrentModel(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Deserialize(catalog, buffer.ToArray(), "the stream", out inputSchema);
    }

    private static byte[] Serialize(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        return ModelContainer.Serialize(catalog, model, inputSchema);
    }

    private static ITransformer Deserialize(ModelOperationsCatalog catalog, byte[] data, string source, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!ModelContainer.IsZip(data))
        {
            ITransformer model = ModelContainer.Deserialize(catalog, data, out DataViewSchema? schema);
            inputSchema = schema!;
            return model;
        }
        IHost host = MLNetInternals.EnvironmentOf(catalog).Register(nameof(RecurrentModelCatalog));
        using (IChannel channel = host.Start("Load"))
            channel.Info(MessageSensitivity.None, $"{source} is a plain ML.NET model (a zip without Microsoft.ML.Recurrent parts); loading it with ML.NET's mlContext.Model.Load.");
        ITransformer loaded = ModelContainer.LoadMLNet(catalog, data, 0, data.Length, $"ML.NET model {source}", out DataViewSchema? mlnetSchema);
        inputSchema = mlnetSchema!;
        return loaded;
    }
}
