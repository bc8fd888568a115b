using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// The model-file section of a <see cref="RecurrentForecastingTransformer"/> (kind 10): named values for the columns
/// and settings, the covariate names, the scaling, the interval half-widths and the series' last W rows, then the
/// parameters of each ensemble member's network (<see cref="NetworkCodec.WriteParameters"/>), rebuilt from the named settings on load.
/// </summary>
internal sealed class ForecasterCodec : ITransformerCodec
{
    public byte Kind => 10;

    public Type TransformerType => typeof(RecurrentForecastingTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        var model = (RecurrentForecastingTransformer)transformer;
        Forecaster f = model.Forecaster;
        ForecastColumns c = model.Columns;
        new NamedValues()
            .Add("input_column", c.Value)
            .Add("output_column", c.Output)
            .Add("lower_column", c.Lower ?? "")
            .Add("upper_column", c.Upper ?? "")
            .Add("window", f.WindowSize)
            .Add("horizon", f.Horizon)
            .Add("confidence", f.ConfidenceLevel)
            .Add("strategy", f.Strategy.ToString())
            .Add("intervals", f.IntervalMethod.ToString())
            .Add("normalization", f.Frames.Normalization.ToString())
            .Add("log", f.Scaling.LogTransform)
            .Add("season", f.Frames.Season)
            .Add("cell", f.Network.Architecture.Cell.ToString())
            .Add("hidden_size", f.Network.Architecture.HiddenSize)
            .Add("layers", f.Network.Architecture.NumLayers)
            .Add("dropout", f.Network.Architecture.Dropout)
            .Add("linear", f.Network.Architecture.Linear)
            .Add("members", f.Networks.Count)
            .Write(writer);
        WriteNames(writer, c.Past);
        WriteNames(writer, c.Known);
        writer.WriteSingles(f.Scaling.Means);
        writer.WriteSingles(f.Scaling.Scales);
        writer.WriteSingles(f.HalfWidths);
        foreach (float[] channel in model.Tail) writer.WriteSingles(channel);
        foreach (ForecastNetwork network in f.Networks) NetworkCodec.WriteParameters(writer, network.Parameters);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        NamedValues v = NamedValues.Read(reader);
        string input = v.String(reader, "input_column"), output = v.String(reader, "output_column");
        string lower = v.String(reader, "lower_column"), upper = v.String(reader, "upper_column");
        int window = v.Int32(reader, "window", 1, 1 << 20), horizon = v.Int32(reader, "horizon", 1, 1 << 20);
        float confidence = v.Single(reader, "confidence");
        var strategy = SectionValues.Parse<ForecastStrategy>(reader, v.String(reader, "strategy"));
        var intervals = SectionValues.Parse<ForecastIntervalMethod>(reader, v.String(reader, "intervals"));
        var normalization = SectionValues.Parse<ForecastNormalization>(reader, v.String(reader, "normalization"));
        bool log = v.Boolean(reader, "log");
        int season = v.Int32(reader, "season", 0, window);
        var cell = SectionValues.Parse<CellType>(reader, v.String(reader, "cell"));
        int hidden = v.Int32(reader, "hidden_size", 1, 1 << 16), layers = v.Int32(reader, "layers", 1, 64);
        float dropout = v.Single(reader, "dropout");
        bool linear = v.Boolean(reader, "linear");
        int members = v.Int32(reader, "members", 1, 100);
        v.ExpectAllRead(reader, "model's forecaster section");
        string[] past = ReadNames(reader), known = ReadNames(reader);
        int channels = 1 + past.Length + known.Length;
        if ((long)4 * (2 * channels + horizon + (long)channels * window) > reader.Remaining)
            throw reader.Corrupt($"{channels} channels with a window of {window} and a horizon of {horizon} cannot fit in the {reader.Remaining} bytes left");
        float[] means = Floats(reader, channels, "the scaling means"), scales = Floats(reader, channels, "the scaling scales");
        float[] halfWidths = Floats(reader, horizon, "the interval half-widths");
        float[][] tail = [.. Enumerable.Range(0, channels).Select(_ => Floats(reader, window, "the series' last rows"))];
        try
        {
            var frames = new ForecastFrames(window, strategy == ForecastStrategy.Direct ? horizon : 1, past.Length, known.Length, normalization, season);
            int outputs = frames.Outputs * (intervals == ForecastIntervalMethod.Quantile ? 3 : 1);
            if ((long)4 * members * hidden * (hidden + frames.FrameSize) > reader.Remaining) throw reader.Corrupt($"{members} networks of {hidden} units cannot fit in the {reader.Remaining} bytes left");
            var architecture = new ForecastArchitecture(cell, frames.FrameSize, hidden, layers, dropout, outputs, frames.Steps > window ? frames.Outputs : 1, window, linear);
            var networks = new ForecastNetwork[members];
            for (int m = 0; m < members; m++)
            {
                networks[m] = new ForecastNetwork(architecture, random: null);
                NetworkCodec.ReadParameters(reader, networks[m].Parameters);
            }
            var forecaster = new Forecaster(networks, frames, new ForecastScaling(log, means, scales), strategy, intervals, horizon, confidence, halfWidths);
            return new RecurrentForecastingTransformer(forecaster, new ForecastColumns(input, past, known, output, lower.Length == 0 ? null : lower, upper.Length == 0 ? null : upper), tail, []);
        }
        catch (ArgumentException e)
        {
            throw reader.Corrupt($"its settings do not fit together ({e.Message})");
        }
    }

    private static void WriteNames(ModelWriter writer, string[] names)
    {
        writer.WriteInt32(names.Length);
        foreach (string name in names) writer.WriteString(name);
    }

    private static string[] ReadNames(ModelReader reader)
    {
        int count = reader.ReadInt32(0, 4096, "the covariate count");
        if (count > reader.Remaining / 4) throw reader.Corrupt($"{count} covariate names cannot fit in {reader.Remaining} bytes");
        return [.. Enumerable.Range(0, count).Select(_ => reader.ReadString(1024))];
    }

    private static float[] Floats(ModelReader reader, int count, string name)
    {
        float[] values = new float[count];
        reader.ReadSingles(values, name);
        return values;
    }
}
