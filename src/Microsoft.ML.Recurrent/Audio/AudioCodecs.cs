using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Audio;

/// <summary>The model-file section of an <see cref="AudioLoadingTransformer"/> (kind 7): its columns and sample rate.</summary>
internal sealed class AudioLoadingCodec : ITransformerCodec
{
    public byte Kind => 7;

    public Type TransformerType => typeof(AudioLoadingTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        var model = (AudioLoadingTransformer)transformer;
        new NamedValues().Add("output_column", model.OutputColumnName).Add("input_column", model.InputColumnName).Add("sample_rate", model.SampleRate).Write(writer);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        NamedValues v = NamedValues.Read(reader);
        string output = v.String(reader, "output_column"), input = v.String(reader, "input_column");
        int rate = v.Int32(reader, "sample_rate", 1, 1 << 24);
        v.ExpectAllRead(reader, "model's audio loader section");
        if (output.Length == 0 || input.Length == 0) throw reader.Corrupt("a column name is empty");
        return new AudioLoadingTransformer(output, input, rate);
    }
}

/// <summary>The model-file section of an <see cref="AudioFeaturizingTransformer"/> (kind 8): its options.</summary>
internal sealed class AudioFeaturizingCodec : ITransformerCodec
{
    public byte Kind => 8;

    public Type TransformerType => typeof(AudioFeaturizingTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        var model = (AudioFeaturizingTransformer)transformer;
        AudioFeatureOptions o = model.Options;
        new NamedValues()
            .Add("input_column", o.InputColumnName).Add("output_column", o.OutputColumnName).Add("kind", o.Kind.ToString())
            .Add("sample_rate", o.SampleRate).Add("mels", o.MelCount).Add("coefficients", o.Coefficients)
            .Add("window_ms", (float)o.WindowMilliseconds).Add("hop_ms", (float)o.HopMilliseconds)
            .Add("deltas", o.DeltaOrder).Add("normalization", o.Normalization.ToString()).Add("top_db", o.TopDecibels)
            .Write(writer);
        writer.WriteBoolean(model.Mean is not null);
        if (model.Mean is null) return;
        foreach (double m in model.Mean) writer.WriteDouble(m);
        foreach (double v in model.Variance!) writer.WriteDouble(v);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        NamedValues v = NamedValues.Read(reader);
        var options = new AudioFeatureOptions
        {
            InputColumnName = v.String(reader, "input_column"), OutputColumnName = v.String(reader, "output_column"),
            Kind = SectionValues.Parse<AudioFeatureKind>(reader, v.String(reader, "kind")),
            SampleRate = v.Int32(reader, "sample_rate", 1, 1 << 24), MelCount = v.Int32(reader, "mels", 1, 1 << 12), Coefficients = v.Int32(reader, "coefficients", 1, 1 << 12),
            WindowMilliseconds = v.Single(reader, "window_ms"), HopMilliseconds = v.Single(reader, "hop_ms"),
            DeltaOrder = v.Int32(reader, "deltas", 0, 2, 0), TopDecibels = v.Single(reader, "top_db", 0),
            Normalization = SectionValues.Parse<AudioNormalization>(reader, v.String(reader, "normalization", nameof(AudioNormalization.None))),
        };
        v.ExpectAllRead(reader, "model's audio featurizer section");
        double[]? mean = null, variance = null;
        if (reader.ReadBoolean())
        {
            int size = options.FeatureSize;
            if (16L * size > reader.Remaining) throw reader.Corrupt($"{size} global statistics cannot fit in the {reader.Remaining} bytes left");
            mean = new double[size];
            variance = new double[size];
            for (int i = 0; i < size; i++) mean[i] = reader.ReadDouble();
            for (int i = 0; i < size; i++) variance[i] = reader.ReadDouble();
            if (mean.Any(x => !double.IsFinite(x)) || variance.Any(x => !double.IsFinite(x) || x < 0)) throw reader.Corrupt("its global statistics are not finite");
        }
        try
        {
            return new AudioFeaturizingTransformer(options, mean, variance);
        }
        catch (ArgumentException e)
        {
            throw reader.Corrupt($"its options do not fit together ({e.Message})");
        }
    }
}
