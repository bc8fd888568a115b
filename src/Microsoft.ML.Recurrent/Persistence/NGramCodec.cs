using Microsoft.ML.Recurrent.Engine.Decoding;

namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// Writes and reads an <see cref="NGramLanguageModel"/> inside a model-file section: order, smoothing, discount, the
/// vocabulary, then per order the contexts with their continuations and counts; the model is rebuilt exactly.
/// </summary>
internal static class NGramCodec
{
    public static void Write(ModelWriter writer, NGramLanguageModel model)
    {
        writer.WriteInt32(model.Order);
        writer.WriteString(model.Smoothing.ToString());
        writer.WriteDouble(model.Discount);
        SectionValues.WriteStrings(writer, model.Vocabulary);
        foreach (Dictionary<string, Dictionary<string, int>> level in model.Counts)
        {
            writer.WriteInt32(level.Count);
            foreach (var (context, row) in level.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WriteString(context);
                writer.WriteInt32(row.Count);
                foreach (var (next, count) in row.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(next);
                    writer.WriteInt32(count);
                }
            }
        }
    }

    public static NGramLanguageModel Read(ModelReader reader)
    {
        int order = reader.ReadInt32(1, 16, "the language model's order");
        var smoothing = SectionValues.Parse<NGramSmoothing>(reader, reader.ReadString());
        double discount = reader.ReadDouble();
        if (!(discount is > 0 and < 1)) throw reader.Corrupt($"the language model's discount {discount} is outside (0, 1)");
        string[] vocabulary = SectionValues.ReadStrings(reader, 1 << 24, "language-model symbol");
        var counts = new Dictionary<string, Dictionary<string, int>>[order];
        for (int k = 0; k < order; k++)
        {
            // Each entry takes at least 8 bytes, which bounds the counts a corrupt file can claim.
            int contexts = reader.ReadInt32(0, reader.Remaining / 8, "the language model's context count");
            counts[k] = new Dictionary<string, Dictionary<string, int>>(contexts, StringComparer.Ordinal);
            for (int c = 0; c < contexts; c++)
            {
                string context = reader.ReadString();
                int nexts = reader.ReadInt32(1, Math.Max(1, reader.Remaining / 8), "the language model's continuation count");
                var row = new Dictionary<string, int>(nexts, StringComparer.Ordinal);
                for (int n = 0; n < nexts; n++)
                {
                    string next = reader.ReadString();
                    if (!row.TryAdd(next, reader.ReadInt32(1, int.MaxValue, "an n-gram count"))) throw reader.Corrupt($"the continuation '{next}' appears twice");
                }
                if (!counts[k].TryAdd(context, row)) throw reader.Corrupt("a language-model context appears twice");
            }
        }
        try
        {
            return NGramLanguageModel.FromCounts(order, smoothing, discount, vocabulary, counts);
        }
        catch (ArgumentException e)
        {
            throw reader.Corrupt($"the language model does not fit together ({e.Message})");
        }
    }
}
