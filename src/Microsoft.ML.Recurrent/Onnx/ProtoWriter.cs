using Google.Protobuf;

namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>
/// One protobuf message written field by field on the wire format (Google.Protobuf's <see cref="CodedOutputStream"/>),
/// for the few ONNX messages the exporter needs; the field numbers are those of the published onnx.proto (see
/// <see cref="OnnxModelWriter"/>). Nested messages are written whole, as length-delimited bytes.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();
    private readonly CodedOutputStream _output;

    public ProtoWriter() => _output = new CodedOutputStream(_stream, leaveOpen: true);

    public ProtoWriter String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoWriter Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    /// <summary>A packed repeated int64 field.</summary>
    public ProtoWriter PackedInt64(int field, IEnumerable<long> values)
    {
        var packed = new ProtoWriter();
        foreach (long v in values) packed._output.WriteInt64(v);
        return Bytes(field, packed.ToArray());
    }

    public byte[] ToArray()
    {
        _output.Flush();
        return _stream.ToArray();
    }
}
