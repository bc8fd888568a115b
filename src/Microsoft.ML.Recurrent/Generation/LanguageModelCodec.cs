using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>
/// The model-file section of a <see cref="LanguageModelTransformer"/> (kind 5): named values for the column,
/// the unit, the architecture and the generation settings, the symbols, then the parameters (name, shape, values).
/// </summary>
internal sealed class LanguageModelCodec : ITransformerCodec
{
    public byte Kind => 5;

    public Type TransformerType => typeof(LanguageModelTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        var model = (LanguageModelTransformer)transformer;
        LanguageModelArchitecture a = model.Network.Architecture;
        GenerationOptions g = model.Generation;
        new NamedValues()
            .Add("text_column", model.TextColumnName)
            .Add("unit", model.Unit.ToString())
            .Add("cell", a.Cell.ToString())
            .Add("embedding_size", a.EmbeddingSize)
            .Add("hidden_size", a.HiddenSize)
            .Add("layers", a.NumLayers)
            .Add("dropout", a.Dropout)
            .Add("tied", a.TieWeights)
            .Add("max_length", g.MaximumLength)
            .Add("temperature", g.Temperature)
            .Add("top_k", g.TopK)
            .Add("top_p", g.TopP)
            .Add("beam_width", g.BeamWidth)
            .Add("length_normalization", g.LengthNormalization)
            .Add("stop", g.StopString ?? "")
            .Add("seed", g.Seed)
            .Write(writer);
        SectionValues.WriteStrings(writer, model.Vocabulary.Symbols);
        NetworkCodec.WriteParameters(writer, model.Network.Parameters);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        NamedValues v = NamedValues.Read(reader);
        string column = v.String(reader, "text_column");
        SymbolUnit unit = SectionValues.Parse<SymbolUnit>(reader, v.String(reader, "unit"));
        CellType cell = SectionValues.Parse<CellType>(reader, v.String(reader, "cell"));
        int embedding = v.Int32(reader, "embedding_size", 1, 1 << 16), hidden = v.Int32(reader, "hidden_size", 1, 1 << 16), layers = v.Int32(reader, "layers", 1, 64);
        float dropout = v.Single(reader, "dropout");
        bool tied = v.Boolean(reader, "tied");
        string stop = v.String(reader, "stop");
        var generation = new GenerationOptions
        {
            MaximumLength = v.Int32(reader, "max_length", 1, int.MaxValue), Temperature = v.Single(reader, "temperature"), TopK = v.Int32(reader, "top_k", 0, int.MaxValue),
            TopP = v.Single(reader, "top_p"), BeamWidth = v.Int32(reader, "beam_width", 0, 1 << 16), LengthNormalization = v.Single(reader, "length_normalization"),
            StopString = stop.Length == 0 ? null : stop, Seed = v.Int32(reader, "seed", int.MinValue, int.MaxValue),
        };
        v.ExpectAllRead(reader, "model's language model section");
        string[] symbols = SectionValues.ReadStrings(reader, 1 << 24, "symbol");
        SymbolVocabulary vocabulary;
        LanguageModelArchitecture architecture;
        try
        {
            if (symbols.Length < 3) throw new InvalidDataException($"{symbols.Length} symbols is too few");
            vocabulary = new SymbolVocabulary(unit, symbols);
            generation.Validate();
            architecture = new LanguageModelArchitecture(symbols.Length)
            {
                Cell = cell, EmbeddingSize = embedding, HiddenSize = hidden, NumLayers = layers, Dropout = dropout, TieWeights = tied,
            };
            architecture.Validate();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw reader.Corrupt($"its settings or symbols do not fit together ({e.Message})");
        }
        // The fewest weights such a network can have (one gate per cell), so a corrupted size is refused before anything is allocated.
        long floats = (long)symbols.Length * embedding + (tied ? 0 : (long)hidden * symbols.Length);
        for (int l = 0; l < layers; l++) floats += (long)hidden * ((l == 0 ? embedding : hidden) + hidden);
        if (4 * floats > reader.Remaining) throw reader.Corrupt($"its weights ({floats:N0} floats at least) cannot fit in the {reader.Remaining} bytes left");
        var network = new LanguageModelNetwork(architecture);
        NetworkCodec.ReadParameters(reader, network.Parameters);
        return new LanguageModelTransformer(network, vocabulary, column, generation, []);
    }
}
