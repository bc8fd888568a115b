namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// Writes an <see cref="OnnxGraph"/> as an ONNX ModelProto, hand-written on the protobuf wire format with the field
/// numbers of the published onnx.proto: ModelProto (ir_version 1, producer_name 2, producer_version 3, doc_string 6,
/// graph 7, opset_import 8), OperatorSetIdProto (domain 1, version 2), GraphProto (node 1, name 2, initializer 5,
/// input 11, output 12). IR version 8 with the default domain at opset 17, the newest both reach widely.
/// </summary>
internal static class OnnxModelWriter
{
    /// <summary>The default-domain operator set the exporter targets.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (8 goes with opsets up to 18).</summary>
    public const int IrVersion = 8;

    public static byte[] Write(OnnxGraph graph, string graphName, string description)
    {
        var g = new ProtoWriter();
        foreach (ProtoWriter node in graph.Nodes) g.Message(1, node);
        g.String(2, graphName);
        foreach (ProtoWriter initializer in graph.Initializers) g.Message(5, initializer);
        foreach (ProtoWriter input in graph.Inputs) g.Message(11, input);
        foreach (ProtoWriter output in graph.Outputs) g.Message(12, output);
        return new ProtoWriter()
            .Int64(1, IrVersion)
            .String(2, "Microsoft.ML.Recurrent")
            .String(3, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0")
            .String(6, description)
            .Message(7, g)
            .Message(8, new ProtoWriter().String(1, "").Int64(2, Opset))
            .ToArray();
    }
}
