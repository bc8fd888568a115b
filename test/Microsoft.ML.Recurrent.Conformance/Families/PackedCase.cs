using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// A reference case's batch-first padded input [B, T, F] with its lengths, converted to the engine's
/// sorted packed layout, plus the conversions back for comparing results.
/// </summary>
public sealed class PackedCase
{
    private readonly int[] _order;

    /// <summary>Reads <paramref name="inputName"/> and <paramref name="lengthsName"/> from the case.</summary>
    public PackedCase(JsonElement c, string inputName, string lengthsName)
    {
        RefTensor x = Json.Tensor(c, inputName);
        if (x.Shape.Length != 3) throw new FormatException($"'{inputName}' must be [B, T, F].");
        Batch = x.Shape[0]; MaxLength = x.Shape[1]; Features = x.Shape[2];
        int[] lengths = Json.Ints(Json.Get(c, lengthsName));
        Layout = SequenceLayout.Sort(lengths, MaxLength, out _order);
        Packed = PackTensor(x, Features);
    }

    /// <summary>B.</summary>
    public int Batch { get; }

    /// <summary>T of the padded tensors.</summary>
    public int MaxLength { get; }

    /// <summary>F of the input.</summary>
    public int Features { get; }

    /// <summary>The engine layout (sorted).</summary>
    public SequenceLayout Layout { get; }

    /// <summary>The packed input [N, F].</summary>
    public float[] Packed { get; }

    /// <summary>Packs a padded [B, T, width] reference tensor.</summary>
    public float[] PackTensor(RefTensor t, int width)
    {
        float[] packed = new float[Layout.TotalSteps * width];
        Packing.Pack(Layout, _order, t.ToFloat(), MaxLength, width, packed);
        return packed;
    }

    /// <summary>Unpacks [N, width] to padded batch-first [B, T, width] in the reference order.</summary>
    public float[] Unpack(ReadOnlySpan<float> packed, int width)
    {
        float[] padded = new float[Batch * MaxLength * width];
        Packing.Unpack(Layout, _order, packed, MaxLength, width, padded);
        return padded;
    }

    /// <summary>Reads states [slots, B, width] (or [B, width]) and sorts their batch axis; zeros when absent.</summary>
    public float[] States(JsonElement c, string name, int slots, int width)
    {
        float[] result = new float[slots * Batch * width];
        if (!c.TryGetProperty(name, out var e)) return result;
        Packing.PermuteBatch(_order, RefTensor.Read(e).ToFloat(), slots, width, toSorted: true, result);
        return result;
    }

    /// <summary>Returns states [slots, B, width] to the reference batch order.</summary>
    public float[] Unsort(ReadOnlySpan<float> states, int slots, int width)
    {
        float[] result = new float[states.Length];
        Packing.PermuteBatch(_order, states, slots, width, toSorted: false, result);
        return result;
    }
}
