using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Translation;

/// <summary>
/// The model-file section of a <see cref="Seq2SeqTransformer"/> (kind 9): named values for the columns, units, the
/// architecture and the decoding settings, the source then the target symbols, then the parameters (name, shape, values).
/// </summary>
internal sealed class Seq2SeqCodec : ITransformerCodec
{
    public byte Kind => 9;

    public Type TransformerType => typeof(Seq2SeqTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        var model = (Seq2SeqTransformer)transformer;
        Seq2SeqArchitecture a = model.Network.Architecture;
        Seq2SeqDecodingOptions d = model.Decoding;
        new NamedValues()
            .Add("source_column", model.SourceColumnName)
            .Add("target_column", model.TargetColumnName)
            .Add("source_unit", model.SourceVocabulary.Unit.ToString())
            .Add("target_unit", model.TargetVocabulary.Unit.ToString())
            .Add("cell", a.Cell.ToString())
            .Add("embedding_size", a.EmbeddingSize)
            .Add("encoder_hidden_size", a.EncoderHiddenSize)
            .Add("encoder_layers", a.EncoderLayers)
            .Add("bidirectional", a.Bidirectional)
            .Add("decoder_hidden_size", a.DecoderHiddenSize)
            .Add("decoder_layers", a.DecoderLayers)
            .Add("score", a.Score.ToString())
            .Add("attention_size", a.AttentionSize)
            .Add("input_feeding", a.InputFeeding)
            .Add("dropout", a.Dropout)
            .Add("max_length", model.MaximumTargetLength)
            .Add("beam_width", d.BeamWidth)
            .Add("length_normalization", d.LengthNormalization)
            .Add("output_attention", d.OutputAttention)
            .Add("batch_size", d.BatchSize)
            .Write(writer);
        SectionValues.WriteStrings(writer, model.SourceVocabulary.Symbols);
        SectionValues.WriteStrings(writer, model.TargetVocabulary.Symbols);
        NetworkCodec.WriteParameters(writer, model.Network.Parameters);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        NamedValues v = NamedValues.Read(reader);
        string sourceColumn = v.String(reader, "source_column"), targetColumn = v.String(reader, "target_column");
        SymbolUnit sourceUnit = SectionValues.Parse<SymbolUnit>(reader, v.String(reader, "source_unit")), targetUnit = SectionValues.Parse<SymbolUnit>(reader, v.String(reader, "target_unit"));
        CellType cell = SectionValues.Parse<CellType>(reader, v.String(reader, "cell"));
        int embedding = v.Int32(reader, "embedding_size", 1, 1 << 16), encoderHidden = v.Int32(reader, "encoder_hidden_size", 1, 1 << 16), encoderLayers = v.Int32(reader, "encoder_layers", 1, 64);
        bool bidirectional = v.Boolean(reader, "bidirectional");
        int decoderHidden = v.Int32(reader, "decoder_hidden_size", 1, 1 << 16), decoderLayers = v.Int32(reader, "decoder_layers", 1, 64);
        AttentionScore score = SectionValues.Parse<AttentionScore>(reader, v.String(reader, "score"));
        int attentionSize = v.Int32(reader, "attention_size", 0, 1 << 16);
        bool feeding = v.Boolean(reader, "input_feeding");
        float dropout = v.Single(reader, "dropout");
        int maximum = v.Int32(reader, "max_length", 1, 1 << 20);
        var decoding = new Seq2SeqDecodingOptions
        {
            BeamWidth = v.Int32(reader, "beam_width", 1, 1 << 12), LengthNormalization = v.Single(reader, "length_normalization"),
            OutputAttention = v.Boolean(reader, "output_attention"), BatchSize = v.Int32(reader, "batch_size", 1, 1 << 20),
        };
        v.ExpectAllRead(reader, "model's seq2seq section");
        string[] sourceSymbols = SectionValues.ReadStrings(reader, 1 << 24, "source symbol"), targetSymbols = SectionValues.ReadStrings(reader, 1 << 24, "target symbol");
        SymbolVocabulary sources, targets;
        Seq2SeqArchitecture architecture;
        try
        {
            if (sourceSymbols.Length < 3 || targetSymbols.Length < 3) throw new InvalidDataException($"{sourceSymbols.Length} source and {targetSymbols.Length} target symbols are too few");
            (sources, targets) = (new SymbolVocabulary(sourceUnit, sourceSymbols), new SymbolVocabulary(targetUnit, targetSymbols));
            decoding.Validate();
            architecture = new Seq2SeqArchitecture(sourceSymbols.Length, targetSymbols.Length)
            {
                Cell = cell, EmbeddingSize = embedding, EncoderHiddenSize = encoderHidden, EncoderLayers = encoderLayers, Bidirectional = bidirectional,
                DecoderHiddenSize = decoderHidden, DecoderLayers = decoderLayers, Score = score, AttentionSize = attentionSize, InputFeeding = feeding,
                Dropout = dropout, EndOfSequence = SymbolVocabulary.EndOfText,
            };
            architecture.Validate();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw reader.Corrupt($"its settings or symbols do not fit together ({e.Message})");
        }
        // The fewest weights such a network has (embeddings, one gate per layer and the output layer), so a corrupted size is refused before anything is allocated.
        long floats = (long)(sourceSymbols.Length + targetSymbols.Length) * embedding + (long)decoderHidden * targetSymbols.Length;
        for (int l = 0; l < encoderLayers; l++) floats += (long)encoderHidden * ((l == 0 ? embedding : encoderHidden) + encoderHidden);
        for (int l = 0; l < decoderLayers; l++) floats += (long)decoderHidden * ((l == 0 ? embedding : decoderHidden) + decoderHidden);
        if (4 * floats > reader.Remaining) throw reader.Corrupt($"its weights ({floats:N0} floats at least) cannot fit in the {reader.Remaining} bytes left");
        var network = new Seq2SeqNetwork(architecture);
        NetworkCodec.ReadParameters(reader, network.Parameters);
        return new Seq2SeqTransformer(network, sources, targets, sourceColumn, targetColumn, maximum, decoding, []);
    }
}
