using System.Buffers.Binary;
using Microsoft.ML.Recurrent.Persistence;
using Microsoft.ML.Recurrent.Tests.Tagging;

namespace Microsoft.ML.Recurrent.Tests.Persistence;

/// <summary>
/// Our section parsers (the sequence model's, kind 3, the tagger's, kind 4, the language model's, kind 5, the associative memory's, kind 6, the audio featurizer's, kind 8, the forecaster's, kind 10, and the speech recognizer's, kind 11) against garbage that passes the checksums: corrupted payload bytes with the
/// section and file CRCs recomputed must load (a changed weight is still a model) or fail with
/// InvalidDataException, never with another exception, a hang or a huge allocation.
/// </summary>
[TestClass]
public sealed class SectionFuzzTests
{
    [TestMethod]
    [DataRow((byte)4)]
    [DataRow((byte)3)]
    [DataRow((byte)5)]
    [DataRow((byte)6)]
    [DataRow((byte)8)]
    [DataRow((byte)10)]
    [DataRow((byte)11)]
    public void CorruptedSectionsFailCleanlyEvenWithValidChecksums(byte kind)
    {
        var ml = new MLContext(1);
        byte[] file;
        if (kind == 4)
        {
            IDataView data = ml.Data.LoadFromEnumerable(TaggedSentences.Generate(30, 1));
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggedSentence.Tags))
                .Append(ml.MulticlassClassification.Trainers.SequenceTagger(new SequenceTaggerOptions { TokenColumnName = nameof(TaggedSentence.Tokens), HiddenSize = 3, WordEmbeddingSize = 3, NumberOfEpochs = 1 }));
            file = ModelFiles.Bytes(ml, pipeline.Fit(data), data.Schema);
        }
        else if (kind == 5)
        {
            IDataView data = ml.Data.LoadFromEnumerable(new[] { new { Text = "to be or not to be" } });
            var lm = ml.Transforms.Text.LanguageModel(new LanguageModelOptions { HiddenSize = 3, EmbeddingSize = 3, NumberOfLayers = 1, NumberOfEpochs = 1, SequenceLength = 4, BatchSize = 2 });
            file = ModelFiles.Bytes(ml, lm.Fit(data), data.Schema);
        }
        else if (kind == 6)
        {
            var bits = new Random(1);
            IDataView data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 3).Select(_ => new Glyph { Pixels = [.. Enumerable.Range(0, 16).Select(_ => bits.Next(2) * 2f - 1f)] }));
            file = ModelFiles.Bytes(ml, ml.Transforms.HopfieldMemory("Pixels").Fit(data), data.Schema);
        }
        else if (kind == 8)
        {
            IDataView data = ml.Data.LoadFromEnumerable(new[] { new { Path = "clip.wav" } });
            var chain = ml.Transforms.LoadAudio().Append(ml.Transforms.AudioFeatures(new AudioFeatureOptions { Kind = AudioFeatureKind.Mfcc }));
            file = ModelFiles.Bytes(ml, chain.Fit(data), data.Schema);
        }
        else if (kind == 10)
        {
            IDataView data = ml.Data.LoadFromEnumerable(Forecasting.SyntheticSeries.Driven(60, 1));
            var forecaster = ml.Forecasting.ForecastByRecurrent(new RecurrentForecasterOptions
            { WindowSize = 6, Horizon = 3, HiddenSize = 3, NumberOfEpochs = 1, KnownCovariateColumnNames = ["Driver"], ConfidenceLowerBoundColumn = "Lower" });
            file = ModelFiles.Bytes(ml, forecaster.Fit(data), data.Schema);
        }
        else if (kind == 11)
        {
            var values = new Random(1);
            IDataView data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new Speech.SpeechRecognitionTests.Utterance
            { Features = [.. Enumerable.Range(0, 8 * (6 + i)).Select(_ => values.NextSingle())], Transcript = i % 2 == 0 ? "ab" : "c" }));
            var recognizer = ml.Transforms.SpeechRecognition(new SpeechRecognitionOptions { FrameSize = 8, ConvolutionChannels = 2, ConvolutionKernel = (3, 3), HiddenSize = 3, NumberOfLayers = 1, NumberOfEpochs = 1 });
            file = ModelFiles.Bytes(ml, recognizer.Fit(data), data.Schema);
        }
        else
        {
            (ITransformer model, IDataView data) = ModelFiles.TextPipeline(ml, epochs: 1, hidden: 3);
            file = ModelFiles.Bytes(ml, model, data.Schema);
        }
        (int start, int length, int crcAt) = Section(file, kind);
        var random = new Random(3);
        int loaded = 0, refused = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] copy = (byte[])file.Clone();
            // Corrupt the start of the payload (names, counts, strings) more often than the float values behind it.
            int span = trial % 2 == 0 ? Math.Min(length, 200) : length;
            for (int flips = random.Next(1, 4); flips > 0; flips--) copy[start + random.Next(span)] ^= (byte)random.Next(1, 256);
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(crcAt), Crc32.Compute(copy.AsSpan(start, length)));
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), Crc32.Compute(copy.AsSpan(0, copy.Length - 4)));
            try
            {
                ml.Model.LoadRecurrentModel(new MemoryStream(copy), out _);
                loaded++;
            }
            catch (InvalidDataException e)
            {
                Assert.IsFalse(string.IsNullOrWhiteSpace(e.Message));
                refused++;
            }
        }
        Assert.IsGreaterThan(100, refused, $"most corruptions of the section's structure are refused ({refused} refused, {loaded} loaded)");
    }

    /// <summary>Start, length and CRC position of the first section of <paramref name="wanted"/> kind in a model file.</summary>
    private static (int Start, int Length, int CrcAt) Section(byte[] file, byte wanted)
    {
        int position = 8 + 4;
        position += 1 + file[position];
        int sections = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(position));
        position += 4;
        for (int s = 0; s < sections; s++)
        {
            byte kind = file[position];
            int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(position + 1));
            int crcAt = position + 5, start = position + 9;
            if (kind == wanted) return (start, length, crcAt);
            position = start + length;
        }
        throw new InvalidOperationException($"The file has no section of kind {wanted}.");
    }

    private sealed class Glyph
    {
        [Microsoft.ML.Data.VectorType(16)]
        public float[] Pixels { get; set; } = [];
    }
}
