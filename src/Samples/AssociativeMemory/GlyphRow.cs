using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Samples.AssociativeMemory;

/// <summary>The model input: one 16x16 bitmap.</summary>
public sealed class GlyphRow
{
    /// <summary>256 pixels, +1 ink and -1 paper.</summary>
    [VectorType(Glyphs.Side * Glyphs.Side)]
    public float[] Pixels { get; set; } = [];
}
