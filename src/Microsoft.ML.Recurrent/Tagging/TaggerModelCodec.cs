using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Tagging;

/// <summary>
/// The model-file section of a <see cref="SequenceTaggingTransformer"/> (kind 4): named values for the columns
/// and the architecture, the tag names, the vocabulary words, then the parameters (name, shape, values).
/// </summary>
internal sealed class TaggerModelCodec : ITransformerCodec
{
    private const int MaxWords = 1 << 24;

    public byte Kind => 4;

    public Type TransformerType => typeof(SequenceTaggingTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        var model = (SequenceTaggingTransformer)transformer;
        TaggerArchitecture a = model.Network.Architecture;
        new NamedValues()
            .Add("token_column", model.Columns.TokenColumn)
            .Add("casing", model.Columns.Casing)
            .Add("scheme", model.Tags.Scheme.ToString())
            .Add("cell", a.Cell.ToString())
            .Add("embedding_size", a.EmbeddingSize)
            .Add("hidden_size", a.HiddenSize)
            .Add("layers", a.NumLayers)
            .Add("dropout", a.Dropout)
            .Add("crf", a.UseCrf)
            .Add("characters", model.Columns.Characters?.Characters ?? "")
            .Add("character_embedding_size", a.CharacterEmbeddingSize)
            .Add("character_filters", a.CharacterFilters)
            .Write(writer);
        SectionValues.WriteStrings(writer, model.Tags.Names);
        SectionValues.WriteStrings(writer, model.Columns.Words.Words);
        NetworkCodec.WriteParameters(writer, model.Network.Parameters);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        NamedValues v = NamedValues.Read(reader);
        string tokenColumn = v.String(reader, "token_column");
        bool casing = v.Boolean(reader, "casing");
        TagScheme scheme = SectionValues.Parse<TagScheme>(reader, v.String(reader, "scheme"));
        CellType cell = SectionValues.Parse<CellType>(reader, v.String(reader, "cell"));
        int embedding = v.Int32(reader, "embedding_size", 1, 1 << 16), hidden = v.Int32(reader, "hidden_size", 1, 1 << 16), layers = v.Int32(reader, "layers", 1, 64);
        float dropout = v.Single(reader, "dropout");
        bool crf = v.Boolean(reader, "crf");
        string characterSet = v.String(reader, "characters", "");
        int characterEmbedding = v.Int32(reader, "character_embedding_size", 1, 1 << 12, 25), characterFilters = v.Int32(reader, "character_filters", 1, 1 << 12, 30);
        v.ExpectAllRead(reader, "model's tagger section");
        string[] names = SectionValues.ReadStrings(reader, 1 << 16, "tag");
        if (names.Length == 0) throw reader.Corrupt("the tagger has no tags");
        string[] vocabulary = SectionValues.ReadStrings(reader, MaxWords, "word");
        WordVocabulary words;
        TagSet tags;
        CharacterVocabulary? characters;
        try
        {
            words = new WordVocabulary(vocabulary);
            tags = new TagSet(names, scheme);
            characters = characterSet.Length == 0 ? null : new CharacterVocabulary(characterSet);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw reader.Corrupt($"its tags or words do not fit together ({e.Message})");
        }
        var columns = new TaggingColumns(tokenColumn, null, words, casing, characters);
        var architecture = new TaggerArchitecture(words.Size, tags.Count)
        {
            Cell = cell, EmbeddingSize = embedding, FeatureSize = columns.FeatureSize, HiddenSize = hidden, NumLayers = layers,
            CharacterVocabularySize = characters?.Size ?? 0, CharacterEmbeddingSize = characterEmbedding, CharacterFilters = characterFilters,
            Dropout = dropout is >= 0 and < 1 ? dropout : throw reader.Corrupt($"the dropout is {dropout}"), UseCrf = crf, Constraints = tags.Constraints,
        };
        // The fewest weights such a network can have (one gate per cell), so a corrupted size is refused before anything is allocated.
        long floats = (long)words.Size * embedding;
        for (int l = 0; l < layers; l++) floats += 2L * hidden * ((l == 0 ? embedding + architecture.CharacterWidth + columns.FeatureSize : 2L * hidden) + hidden);
        if (4 * floats > reader.Remaining) throw reader.Corrupt($"its weights ({floats:N0} floats at least) cannot fit in the {reader.Remaining} bytes left");
        var network = new TaggerNetwork(architecture);
        NetworkCodec.ReadParameters(reader, network.Parameters);
        return new SequenceTaggingTransformer(network, columns, tags, []);
    }
}
