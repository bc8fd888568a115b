using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// Writes and reads a <see cref="ManyToOneNetwork"/>: its architecture, then each parameter as
/// name, rank, dimensions and float values, in the network's parameter order. Reading rebuilds the
/// network from the architecture and insists on the same names and shapes.
/// </summary>
internal static class NetworkCodec
{
    private const int MaxSize = 1 << 20;

    public static void Write(ModelWriter writer, ManyToOneNetwork network)
    {
        ManyToOneArchitecture a = network.Architecture;
        writer.WriteByte((byte)a.Cell);
        writer.WriteInt32(a.InputSize);
        writer.WriteInt32(a.HiddenSize);
        writer.WriteInt32(a.OutputSize);
        writer.WriteInt32(a.NumLayers);
        writer.WriteBoolean(a.Bidirectional);
        writer.WriteInt32(a.VocabularySize);
        writer.WriteSingle(a.Dropout);
        writer.WriteByte((byte)a.Pooling);
        WriteParameters(writer, network.Parameters);
    }

    public static ManyToOneNetwork Read(ModelReader reader)
    {
        var cell = (CellType)reader.ReadCode(Enum.GetValues<CellType>().Length, "the cell type");
        int input = reader.ReadInt32(1, MaxSize, "the input size");
        int hidden = reader.ReadInt32(1, MaxSize, "the hidden size");
        int output = reader.ReadInt32(1, MaxSize, "the output size");
        int layers = reader.ReadInt32(1, 64, "the layer count");
        bool bidirectional = reader.ReadBoolean();
        int vocabulary = reader.ReadInt32(0, int.MaxValue, "the vocabulary size");
        float dropout = reader.ReadFiniteSingle("the dropout");
        if (!(dropout >= 0 && dropout < 1)) throw reader.Corrupt($"the dropout is {dropout}");
        var pooling = (SequencePooling)reader.ReadCode(Enum.GetValues<SequencePooling>().Length, "the pooling");
        var architecture = new ManyToOneArchitecture(cell, input, hidden, output)
        {
            NumLayers = layers, Bidirectional = bidirectional, VocabularySize = vocabulary, Dropout = dropout, Pooling = pooling,
        };
        long total = (long)vocabulary * input + (long)layers * hidden * hidden + (long)hidden * output; // a lower bound on the values stored
        if (4 * total > reader.Remaining) throw reader.Corrupt($"its architecture needs at least {4 * total} bytes of values but only {reader.Remaining} bytes remain");
        var network = new ManyToOneNetwork(architecture, random: null);
        ReadParameters(reader, network.Parameters);
        return network;
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
