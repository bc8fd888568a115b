using Microsoft.ML.Recurrent.Engine.Memory;
using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Memory;

/// <summary>
/// The model-file section of a <see cref="HopfieldMemoryTransformer"/> (kind 6): named values for the column and
/// the options, the pattern size and count, then the patterns; the network is rebuilt from them on load (the same
/// operations in the same order, so the same weights).
/// </summary>
internal sealed class HopfieldMemoryCodec : ITransformerCodec
{
    public byte Kind => 6;

    public Type TransformerType => typeof(HopfieldMemoryTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        HopfieldMemory memory = ((HopfieldMemoryTransformer)transformer).Memory;
        HopfieldMemoryOptions o = memory.Options;
        new NamedValues()
            .Add("input_column", o.InputColumnName)
            .Add("kind", o.Kind.ToString())
            .Add("rule", o.LearningRule.ToString())
            .Add("update", o.Update.ToString())
            .Add("beta", o.Beta)
            .Add("max_iterations", o.MaximumIterations)
            .Add("seed", o.Seed)
            .Write(writer);
        writer.WriteInt32(memory.Size);
        writer.WriteInt32(memory.Patterns.Count);
        foreach (float[] pattern in memory.Patterns) writer.WriteSingles(pattern);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        NamedValues v = NamedValues.Read(reader);
        var options = new HopfieldMemoryOptions
        {
            InputColumnName = v.String(reader, "input_column"),
            Kind = SectionValues.Parse<HopfieldMemoryKind>(reader, v.String(reader, "kind")),
            LearningRule = SectionValues.Parse<HopfieldLearningRule>(reader, v.String(reader, "rule")),
            Update = SectionValues.Parse<HopfieldUpdate>(reader, v.String(reader, "update")),
            Beta = v.Single(reader, "beta"),
            MaximumIterations = v.Int32(reader, "max_iterations", 1, int.MaxValue),
            Seed = v.Int32(reader, "seed", int.MinValue, int.MaxValue),
        };
        v.ExpectAllRead(reader, "model's associative memory section");
        int size = reader.ReadInt32(2, 1 << 20, "the pattern size");
        int count = reader.ReadInt32(1, int.MaxValue, "the pattern count");
        if ((long)count * size * 4 > reader.Remaining) throw reader.Corrupt($"{count} patterns of {size} values cannot fit in the {reader.Remaining} bytes left");
        var patterns = new List<float[]>(count);
        for (int p = 0; p < count; p++)
        {
            float[] pattern = new float[size];
            reader.ReadSingles(pattern, "a pattern");
            patterns.Add(pattern);
        }
        try
        {
            options.Validate();
            return new HopfieldMemoryTransformer(new HopfieldMemory(options, size, patterns));
        }
        catch (ArgumentException e)
        {
            throw reader.Corrupt($"its options or patterns do not fit together ({e.Message})");
        }
    }
}
