using System.Runtime.InteropServices;

namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// An ONNX graph under construction: nodes in topological order, float/int initializers, typed inputs and outputs,
/// names made unique. <see cref="OnnxModelWriter"/> turns it into a model file. A <see cref="Subgraph"/> (e.g. a
/// <c>Loop</c> body) shares the names of its parent and may read the parent's values.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly List<ProtoWriter> _nodes = [], _initializers = [], _inputs = [], _outputs = [];
    private readonly OnnxGraph? _parent;
    private int _next;

    public OnnxGraph() { }

    private OnnxGraph(OnnxGraph parent) => _parent = parent;

    /// <summary>ONNX element types used here (TensorProto.DataType).</summary>
    public const int Float = 1, Int32 = 6, Int64 = 7, Bool = 9;

    /// <summary>A fresh value name starting with <paramref name="hint"/> (unique across the parent and its subgraphs).</summary>
    public string Name(string hint) => _parent is not null ? _parent.Name(hint) : $"{hint}_{_next++}";

    /// <summary>An empty graph for a control-flow body: its names come from this graph's, and it may read this graph's values.</summary>
    public OnnxGraph Subgraph() => new(this);

    /// <summary>GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.</summary>
    public ProtoWriter ToProto(string name)
    {
        var g = new ProtoWriter();
        foreach (ProtoWriter node in _nodes) g.Message(1, node);
        g.String(2, name);
        foreach (ProtoWriter initializer in _initializers) g.Message(5, initializer);
        foreach (ProtoWriter input in _inputs) g.Message(11, input);
        foreach (ProtoWriter output in _outputs) g.Message(12, output);
        return g;
    }

    /// <summary>Declares a graph input; a dimension is a number or a symbolic name.</summary>
    public string Input(string name, int elementType, params object[] shape)
    {
        _inputs.Add(ValueInfo(name, elementType, shape));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> as graph output <paramref name="name"/> (through an Identity node when the names differ).</summary>
    public void Output(string value, string name, int elementType, params object[] shape)
    {
        if (value != name) Node("Identity", [value], [name]);
        _outputs.Add(ValueInfo(name, elementType, shape));
    }

    /// <summary>
    /// The bool mask [T, B, 1] (<paramref name="timeFirst"/>) or [B, T, 1] of steps t below each sequence's length, for a
    /// tensor <paramref name="value"/> with time on <paramref name="timeAxis"/> and int64 <paramref name="lengths64"/> [B].
    /// </summary>
    public string StepMask(string value, int timeAxis, string lengths64, bool timeFirst)
    {
        string steps = Node("Gather", [Node("Shape", [value]), Constant("time_axis", [(long)timeAxis])]);
        string range = Node("Range", [Constant("start", [0L]), Node("Squeeze", [steps]), Constant("delta", [1L])]);
        string time = Node("Unsqueeze", [range, Constant("axis", [timeFirst ? 1L : 0L], 1)]);
        string length = Node("Unsqueeze", [lengths64, Constant("axis", [timeFirst ? 0L : 1L], 1)]);
        return Node("Unsqueeze", [Node("Less", [time, length]), Constant("axis", [2L], 1)]);
    }

    /// <summary>A float initializer of the given shape.</summary>
    public string Constant(string hint, ReadOnlySpan<float> values, params long[] shape) =>
        Initializer(hint, Float, MemoryMarshal.AsBytes(values), shape);

    /// <summary>An int64 initializer of the given shape.</summary>
    public string Constant(string hint, ReadOnlySpan<long> values, params long[] shape) =>
        Initializer(hint, Int64, MemoryMarshal.AsBytes(values), shape);

    /// <summary>Adds a node and returns its first output's name; outputs left empty are named from the op.</summary>
    public string Node(string op, string[] inputs, string[]? outputs = null, params (string Name, object Value)[] attributes)
    {
        outputs ??= [Name(op.ToLowerInvariant())];
        var node = new ProtoWriter();
        foreach (string input in inputs) node.String(1, input);
        foreach (string output in outputs) node.String(2, output);
        node.String(3, Name(op)).String(4, op);
        foreach ((string name, object value) in attributes) node.Message(5, Attribute(name, value));
        _nodes.Add(node);
        return outputs[0];
    }

    private string Initializer(string hint, int elementType, ReadOnlySpan<byte> raw, long[] shape)
    {
        string name = Name(hint);
        // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian, as this machine's memory).
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export writes little-endian tensors; this machine is big-endian.");
        _initializers.Add(new ProtoWriter().PackedInt64(1, shape).Int64(2, elementType).String(8, name).Bytes(9, raw));
        return name;
    }

    /// <summary>AttributeProto: name = 1, f = 2, i = 3, s = 4, g = 6, floats = 7, ints = 8, strings = 9, type = 20.</summary>
    private static ProtoWriter Attribute(string name, object value)
    {
        var attribute = new ProtoWriter().String(1, name);
        switch (value)
        {
            case float f: return attribute.Float(2, f).Int64(20, 1);
            case int i: return attribute.Int64(3, i).Int64(20, 2);
            case long l: return attribute.Int64(3, l).Int64(20, 2);
            case string s: return attribute.Bytes(4, System.Text.Encoding.UTF8.GetBytes(s)).Int64(20, 3);
            case long[] ints: return attribute.PackedInt64(8, ints).Int64(20, 7);
            case OnnxGraph body: return attribute.Message(6, body.ToProto(name)).Int64(20, 5);
            case string[] strings:
                foreach (string s in strings) attribute.Bytes(9, System.Text.Encoding.UTF8.GetBytes(s));
                return attribute.Int64(20, 8);
            default: throw new ArgumentException($"Attribute '{name}' has an unsupported type {value.GetType().Name}.", nameof(value));
        }
    }

    /// <summary>ValueInfoProto (name = 1, type = 2) of a tensor type (TypeProto.tensor_type = 1: elem_type = 1, shape = 2 of dims = 1: dim_value = 1 or dim_param = 2).</summary>
    private static ProtoWriter ValueInfo(string name, int elementType, object[] shape)
    {
        var dims = new ProtoWriter();
        foreach (object d in shape)
            dims.Message(1, d is string symbol ? new ProtoWriter().String(2, symbol) : new ProtoWriter().Int64(1, Convert.ToInt64(d)));
        var tensor = new ProtoWriter().Int64(1, elementType).Message(2, dims);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensor));
    }
}
