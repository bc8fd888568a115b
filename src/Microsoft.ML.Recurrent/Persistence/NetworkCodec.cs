using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// Writes and reads a <see cref="ManyToOneNetwork"/>: its architecture (named values), then each parameter as
/// name, rank, dimensions and float values, in the network's parameter order. Reading rebuilds the
/// network from the architecture and insists on the same names and shapes.
/// </summary>
internal static class NetworkCodec
{
    private const int MaxSize = 1 << 20;

    /// <summary>Writes the architecture as named values, then the parameters.</summary>
    public static void Write(ModelWriter writer, ManyToOneNetwork network)
    {
        ManyToOneArchitecture a = network.Architecture;
        new NamedValues()
            .Add("cell", a.Cell.ToString())
            .Add("input_size", a.InputSize)
            .Add("hidden_size", a.HiddenSize)
            .Add("output_size", a.OutputSize)
            .Add("layers", a.NumLayers)
            .Add("bidirectional", a.Bidirectional)
            .Add("vocabulary", a.VocabularySize)
            .Add("dropout", a.Dropout)
            .Add("pooling", a.Pooling.ToString())
            .Write(writer);
        WriteParameters(writer, network.Parameters);
    }

    /// <summary>Reads a network written by <see cref="Write"/> (format 2) or by format 1 (positional fields).</summary>
    public static ManyToOneNetwork Read(ModelReader reader, int formatVersion)
    {
        ManyToOneArchitecture architecture = formatVersion == 1 ? ReadVersion1(reader) : ReadArchitecture(reader);
        if (!(architecture.Dropout >= 0 && architecture.Dropout < 1)) throw reader.Corrupt($"the dropout is {architecture.Dropout}");
        long total = (long)architecture.VocabularySize * architecture.InputSize + (long)architecture.NumLayers * architecture.HiddenSize * architecture.HiddenSize
            + (long)architecture.HiddenSize * architecture.OutputSize; // a lower bound on the values stored
        if (4 * total > reader.Remaining) throw reader.Corrupt($"its architecture needs at least {4 * total} bytes of values but only {reader.Remaining} bytes remain");
        var network = new ManyToOneNetwork(architecture, random: null);
        ReadParameters(reader, network.Parameters);
        return network;
    }

    private static ManyToOneArchitecture ReadArchitecture(ModelReader reader)
    {
        NamedValues v = NamedValues.Read(reader);
        var architecture = new ManyToOneArchitecture(Parse<CellType>(reader, v.String(reader, "cell")), v.Int32(reader, "input_size", 1, MaxSize),
            v.Int32(reader, "hidden_size", 1, MaxSize), v.Int32(reader, "output_size", 1, MaxSize))
        {
            NumLayers = v.Int32(reader, "layers", 1, 64, 1),
            Bidirectional = v.Boolean(reader, "bidirectional", false),
            VocabularySize = v.Int32(reader, "vocabulary", 0, int.MaxValue, 0),
            Dropout = v.Single(reader, "dropout", 0f),
            Pooling = Parse<SequencePooling>(reader, v.String(reader, "pooling", nameof(SequencePooling.LastState))),
        };
        v.ExpectAllRead(reader, "model's network section");
        return architecture;
    }

    private static T Parse<T>(ModelReader reader, string name) where T : struct, Enum =>
        Enum.TryParse(name, out T value) && Enum.IsDefined(value) ? value : throw reader.Corrupt($"'{name}' is not a known {typeof(T).Name}");

    private static ManyToOneArchitecture ReadVersion1(ModelReader reader)
    {
        var cell = (CellType)reader.ReadCode(Enum.GetValues<CellType>().Length, "the cell type");
        int input = reader.ReadInt32(1, MaxSize, "the input size");
        int hidden = reader.ReadInt32(1, MaxSize, "the hidden size");
        int output = reader.ReadInt32(1, MaxSize, "the output size");
        int layers = reader.ReadInt32(1, 64, "the layer count");
        bool bidirectional = reader.ReadBoolean();
        int vocabulary = reader.ReadInt32(0, int.MaxValue, "the vocabulary size");
        float dropout = reader.ReadFiniteSingle("the dropout");
        var pooling = (SequencePooling)reader.ReadCode(Enum.GetValues<SequencePooling>().Length, "the pooling");
        return new ManyToOneArchitecture(cell, input, hidden, output)
        {
            NumLayers = layers, Bidirectional = bidirectional, VocabularySize = vocabulary, Dropout = dropout, Pooling = pooling,
        };
    }

    /// <summary>Parameter count, then name, rank, dimensions and values of each.</summary>
    public static void WriteParameters(ModelWriter writer, IReadOnlyList<Parameter> parameters)
    {
        writer.WriteInt32(parameters.Count);
        foreach (Parameter p in parameters)
        {
            writer.WriteString(p.Name);
            writer.WriteInt32(p.Shape.Count);
            foreach (int d in p.Shape) writer.WriteInt32(d);
            writer.WriteSingles(p.Value);
        }
    }

    /// <summary>Reads values into <paramref name="parameters"/>, which must match by name and shape.</summary>
    public static void ReadParameters(ModelReader reader, IReadOnlyList<Parameter> parameters)
    {
        int count = reader.ReadInt32(0, 4096, "the parameter count");
        if (count != parameters.Count) throw reader.Corrupt($"it holds {count} parameters, the architecture has {parameters.Count}");
        foreach (Parameter p in parameters)
        {
            string name = reader.ReadString(256);
            int rank = reader.ReadInt32(0, 8, $"the rank of '{name}'");
            int[] shape = new int[rank];
            for (int i = 0; i < rank; i++) shape[i] = reader.ReadInt32(0, int.MaxValue, $"a dimension of '{name}'");
            if (name != p.Name || !shape.SequenceEqual(p.Shape))
                throw reader.Corrupt($"parameter '{name}' [{string.Join(", ", shape)}] is where '{p.Name}' [{string.Join(", ", p.Shape)}] belongs");
            reader.ReadSingles(p.Value, name);
        }
    }
}
