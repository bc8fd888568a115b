namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// Writes an <see cref="OnnxGraph"/> as an ONNX ModelProto, hand-written on the protobuf wire format with the field
/// numbers of the published onnx.proto: ModelProto (ir_version 1, producer_name 2, producer_version 3, doc_string 6,
/// graph 7, opset_import 8, metadata_props 14), OperatorSetIdProto (domain 1, version 2), StringStringEntryProto (key 1,
/// value 2), GraphProto (see <see cref="OnnxGraph.ToProto"/>). IR version 8 with the default domain at opset 17, the
/// newest both reach widely.
/// </summary>
internal static class OnnxModelWriter
{
    /// <summary>The default-domain operator set the exporter targets.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (8 goes with opsets up to 18).</summary>
    public const int IrVersion = 8;

    /// <summary>The model file of <paramref name="graph"/>, with <paramref name="metadata"/> as its metadata_props (e.g. vocabularies).</summary>
    public static byte[] Write(OnnxGraph graph, string graphName, string description, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ProtoWriter()
            .Int64(1, IrVersion)
            .String(2, "Microsoft.ML.Recurrent")
            .String(3, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0")
            .String(6, description)
            .Message(7, graph.ToProto(graphName))
            .Message(8, new ProtoWriter().String(1, "").Int64(2, Opset));
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>()) model.Message(14, new ProtoWriter().String(1, key).String(2, value));
        return model.ToArray();
    }
}
