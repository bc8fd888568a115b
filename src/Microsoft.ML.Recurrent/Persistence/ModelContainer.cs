using System.Buffers.Binary;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// The Microsoft.ML.Recurrent model file: a whole transformer chain with its input schema, mixing
/// ML.NET transformers (stored with ML.NET's own save, as zip segments) and ours (stored in our
/// binary format). Layout, all integers little-endian:
/// <code>
/// magic      8 bytes  "MLRNN\r\n\x1a"
/// version    uint16   format version (2; 1 is still read)
/// reserved   uint16   0
/// library    uint8 length + ASCII   version of Microsoft.ML.Recurrent that wrote it
/// sections   int32 count, then per section:
///              uint8 kind (1 input schema, 2 ML.NET segment, 3 and up: a Microsoft.ML.Recurrent
///                    transformer, written by the <see cref="ITransformerCodec"/> of that kind)
///              int32 payload length, uint32 CRC-32 of the payload, payload
/// trailer    uint32   CRC-32 of every byte before it
/// </code>
/// The chain is the transformers of the sections in order (after the input schema). Version 2 stores
/// architectures as named values (<see cref="NamedValues"/>), so new options are not format breaks.
/// </summary>
internal static class ModelContainer
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const ushort FormatVersion = 2;

    private const int MaxSections = 4096;

    private static ReadOnlySpan<byte> Magic => "MLRNN\r\n\x1a"u8;

    private const byte InputSchema = 1, MLNetSegment = 2;

    /// <summary>The file bytes of <paramref name="model"/> with <paramref name="inputSchema"/> (null stores none, as ML.NET allows).</summary>
    public static byte[] Serialize(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema)
    {
        var sections = new List<(byte Kind, byte[] Payload)> { (InputSchema, SaveMLNet(catalog, [], inputSchema)) };
        var group = new List<ITransformer>();
        DataViewSchema? schema = inputSchema, groupSchema = inputSchema;
        foreach (ITransformer transformer in Flatten(model))
        {
            if (TransformerCodecs.For(transformer) is ITransformerCodec codec)
            {
                if (group.Count > 0) sections.Add((MLNetSegment, SaveMLNet(catalog, group, groupSchema)));
                group.Clear();
                var payload = new ModelWriter();
                codec.Write(payload, transformer);
                sections.Add((codec.Kind, payload.ToArray()));
            }
            else
            {
                if (group.Count == 0) groupSchema = schema;
                group.Add(transformer);
            }
            if (schema is not null) schema = transformer.GetOutputSchema(schema);
        }
        if (group.Count > 0) sections.Add((MLNetSegment, SaveMLNet(catalog, group, groupSchema)));

        var writer = new ModelWriter();
        writer.WriteBytes(Magic);
        writer.WriteBytes([(byte)FormatVersion, FormatVersion >> 8, 0, 0]);
        string library = typeof(ModelContainer).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";
        writer.WriteByte((byte)library.Length);
        writer.WriteBytes(System.Text.Encoding.ASCII.GetBytes(library));
        writer.WriteInt32(sections.Count);
        foreach ((byte kind, byte[] payload) in sections)
        {
            writer.WriteByte(kind);
            writer.WriteInt32(payload.Length);
            writer.WriteUInt32(Crc32.Compute(payload));
            writer.WriteBytes(payload);
        }
        byte[] body = writer.ToArray();
        byte[] file = new byte[body.Length + 4];
        body.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(body.Length), Crc32.Compute(body));
        return file;
    }

    /// <summary>Whether <paramref name="data"/> starts like a zip archive (a plain ML.NET model).</summary>
    public static bool IsZip(ReadOnlySpan<byte> data) => data.StartsWith("PK\x03\x04"u8);

    /// <summary>Loads the chain written by <see cref="Serialize"/>, checking everything first.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid model file of a supported version.</exception>
    public static ITransformer Deserialize(ModelOperationsCatalog catalog, byte[] data, out DataViewSchema? inputSchema)
    {
        const string what = "Microsoft.ML.Recurrent model file";
        if (data.Length < Magic.Length || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"This is not a Microsoft.ML.Recurrent model file: it does not start with the format's magic bytes ({data.Length} bytes).");
        var header = new ModelReader(data, Magic.Length, data.Length, what);
        int version = header.ReadByte() | header.ReadByte() << 8;
        if (version > FormatVersion)
            throw new InvalidDataException($"The model file has format version {version}; this Microsoft.ML.Recurrent reads versions up to {FormatVersion}. Load it with a newer version of the library.");
        if (version == 0) throw header.Corrupt("its format version is 0");
        if (data.Length < header.Position + 4 || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4)) != Crc32.Compute(data.AsSpan(0, data.Length - 4)))
            throw new InvalidDataException($"The {what} is corrupt or truncated: its checksum does not match its {data.Length} bytes.");
        var reader = new ModelReader(data, header.Position, data.Length - 4, what);
        reader.Take(2);
        reader.Take(reader.ReadByte());
        int count = reader.ReadInt32(1, MaxSections, "the section count");
        var chain = new List<ITransformer>();
        inputSchema = null;
        for (int s = 0; s < count; s++)
        {
            byte kind = reader.ReadByte();
            int length = reader.ReadInt32(0, reader.Remaining, $"the length of section {s}");
            uint crc = reader.ReadUInt32();
            int start = reader.Position;
            if (Crc32.Compute(reader.Take(length)) != crc) throw reader.Corrupt($"section {s} fails its checksum");
            if ((s == 0) != (kind == InputSchema)) throw reader.Corrupt($"section {s} is of kind {kind}");
            if (kind == InputSchema)
                LoadMLNet(catalog, data, start, length, $"input schema section of the {what}", out inputSchema);
            else if (kind == MLNetSegment)
                chain.AddRange(Flatten(LoadMLNet(catalog, data, start, length, $"ML.NET section {s} of the {what}", out _)));
            else
            {
                ITransformerCodec codec = TransformerCodecs.ForKind(kind)
                    ?? throw new InvalidDataException($"Section {s} of the {what} holds a model of kind {kind}, which this version of Microsoft.ML.Recurrent does not know; load it with the newer library that wrote it.");
                var payload = new ModelReader(data, start, start + length, $"recurrent model section {s} of the {what}");
                chain.Add(codec.Read(payload, version));
                payload.ExpectEnd();
            }
        }
        reader.ExpectEnd();
        return new TransformerChain<ITransformer>([.. chain]);
    }

    /// <summary>Loads a plain ML.NET model after checking it is not a zip bomb.</summary>
    public static ITransformer LoadMLNet(ModelOperationsCatalog catalog, byte[] data, int offset, int count, string what, out DataViewSchema? schema)
    {
        ZipGuard.Check(data, offset, count, what);
        try
        {
            return catalog.Load(new MemoryStream(data, offset, count, writable: false), out schema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"The {what} could not be loaded by ML.NET: {e.Message}", e);
        }
    }

    /// <summary>The transformers of <paramref name="model"/> in order, with nested chains expanded.</summary>
    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];

    private static byte[] SaveMLNet(ModelOperationsCatalog catalog, IReadOnlyList<ITransformer> transformers, DataViewSchema? schema)
    {
        using var stream = new MemoryStream();
        try
        {
            catalog.Save(new TransformerChain<ITransformer>([.. transformers]), schema, stream);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            throw new NotSupportedException($"The chain holds a transformer that neither ML.NET nor Microsoft.ML.Recurrent can save ({string.Join(", ", transformers.Select(t => t.GetType().Name))}): {e.Message}", e);
        }
        return stream.ToArray();
    }
}
