using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Speech;

/// <summary>
/// The model-file section of a <see cref="SpeechRecognitionTransformer"/> (kind 11): named values for the columns, the
/// symbol unit, the acoustic architecture and the decoder, the symbols, the parameters (<see cref="NetworkCodec.WriteParameters"/>),
/// the batch norm's running statistics, then the decoder's language model (<see cref="NGramCodec"/>) and lexicon when it has them;
/// the network is rebuilt from the named values on load. Files written before the decoder existed load with greedy decoding.
/// </summary>
internal sealed class SpeechCodec : ITransformerCodec
{
    public byte Kind => 11;

    public Type TransformerType => typeof(SpeechRecognitionTransformer);

    public void Write(ModelWriter writer, ITransformer transformer)
    {
        var model = (SpeechRecognitionTransformer)transformer;
        AcousticArchitecture a = model.Network.Architecture;
        SpeechColumns c = model.Columns;
        SpeechDecoder d = model.Decoder;
        new NamedValues()
            .Add("features_column", c.Features).Add("text_column", c.Text).Add("tokens_column", c.Tokens).Add("times_column", c.Times ?? "")
            .Add("frame_size", model.Features.FrameSize).Add("fixed_size", model.Features.FixedSize).Add("unit", model.Vocabulary.Unit.ToString())
            .Add("channels", a.ConvolutionChannels).Add("kernel_time", a.ConvolutionKernel.Time).Add("kernel_frequency", a.ConvolutionKernel.Frequency)
            .Add("stride_time", a.ConvolutionStride.Time).Add("stride_frequency", a.ConvolutionStride.Frequency).Add("clip", a.ClipCeiling)
            .Add("batch_norm", a.BatchNorm).Add("cell", a.Cell.ToString()).Add("hidden_size", a.HiddenSize).Add("layers", a.NumLayers)
            .Add("bidirectional", a.Bidirectional).Add("dropout", a.Dropout)
            .Add("beam_width", d.BeamWidth).Add("language_model", d.LanguageModel is not null).Add("word_language_model", d.WordLanguageModel)
            .Add("language_model_weight", d.Weight).Add("insertion_bonus", d.Bonus).Add("lexicon", d.Lexicon is not null)
            .Write(writer);
        SectionValues.WriteStrings(writer, model.Vocabulary.Symbols);
        NetworkCodec.WriteParameters(writer, model.Network.Parameters);
        if (model.Network.Normalization is { } norm)
        {
            writer.WriteSingles(norm.RunningMean);
            writer.WriteSingles(norm.RunningVariance);
        }
        if (d.LanguageModel is not null) NGramCodec.Write(writer, d.LanguageModel);
        if (d.Lexicon is not null) SectionValues.WriteStrings(writer, d.Lexicon);
    }

    public ITransformer Read(ModelReader reader, int formatVersion)
    {
        NamedValues v = NamedValues.Read(reader);
        var columns = new SpeechColumns(v.String(reader, "features_column"), v.String(reader, "text_column"), v.String(reader, "tokens_column"), v.String(reader, "times_column"));
        int frameSize = v.Int32(reader, "frame_size", 1, 1 << 16), fixedSize = v.Int32(reader, "fixed_size", 0, int.MaxValue);
        var unit = SectionValues.Parse<SymbolUnit>(reader, v.String(reader, "unit"));
        int channels = v.Int32(reader, "channels", 0, 4096), kernelTime = v.Int32(reader, "kernel_time", 1, 1024), kernelFrequency = v.Int32(reader, "kernel_frequency", 1, 1024);
        int strideTime = v.Int32(reader, "stride_time", 1, 1024), strideFrequency = v.Int32(reader, "stride_frequency", 1, 1024);
        float clip = v.Single(reader, "clip");
        bool batchNorm = v.Boolean(reader, "batch_norm");
        var cell = SectionValues.Parse<CellType>(reader, v.String(reader, "cell"));
        int hidden = v.Int32(reader, "hidden_size", 1, 1 << 16), layers = v.Int32(reader, "layers", 1, 64);
        bool bidirectional = v.Boolean(reader, "bidirectional");
        float dropout = v.Single(reader, "dropout");
        int beamWidth = v.Int32(reader, "beam_width", 1, 4096, fallback: 1);
        bool hasModel = v.Boolean(reader, "language_model", fallback: false), wordModel = v.Boolean(reader, "word_language_model", fallback: false);
        float weight = v.Single(reader, "language_model_weight", fallback: 0), bonus = v.Single(reader, "insertion_bonus", fallback: 0);
        bool hasLexicon = v.Boolean(reader, "lexicon", fallback: false);
        v.ExpectAllRead(reader, "model's speech recognizer section");
        string[] symbols = SectionValues.ReadStrings(reader, 1 << 24, "symbol");
        if (symbols.Length < 3) throw reader.Corrupt($"{symbols.Length} symbols are too few");
        try
        {
            var architecture = new AcousticArchitecture(frameSize, symbols.Length - 1)
            {
                ConvolutionChannels = channels, ConvolutionKernel = (kernelTime, kernelFrequency), ConvolutionStride = (strideTime, strideFrequency), ClipCeiling = clip,
                BatchNorm = batchNorm, Cell = cell, HiddenSize = hidden, NumLayers = layers, Bidirectional = bidirectional, Dropout = dropout,
            };
            if ((long)4 * hidden * hidden > reader.Remaining) throw reader.Corrupt($"a network of {hidden} units cannot fit in the {reader.Remaining} bytes left");
            var network = new AcousticNetwork(architecture, random: null);
            NetworkCodec.ReadParameters(reader, network.Parameters);
            if (network.Normalization is { } norm)
            {
                reader.ReadSingles(norm.RunningMean, "the batch norm's running mean");
                reader.ReadSingles(norm.RunningVariance, "the batch norm's running variance");
            }
            var vocabulary = new SymbolVocabulary(unit, symbols);
            var decoder = new SpeechDecoder(vocabulary, beamWidth, hasModel ? NGramCodec.Read(reader) : null, wordModel, weight, bonus,
                hasLexicon ? SectionValues.ReadStrings(reader, 1 << 24, "lexicon word") : null);
            return new SpeechRecognitionTransformer(network, SequenceFeatureColumn.Create(columns.Features, 0, frameSize, fixedSize), vocabulary,
                columns with { Times = columns.Times!.Length == 0 ? null : columns.Times }, decoder, []);
        }
        catch (ArgumentException e)
        {
            throw reader.Corrupt($"its settings do not fit together ({e.Message})");
        }
    }
}
