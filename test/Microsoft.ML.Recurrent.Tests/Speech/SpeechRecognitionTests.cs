using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Speech;
using Microsoft.ML.Recurrent.Tests.Persistence;

namespace Microsoft.ML.Recurrent.Tests.Speech;

/// <summary>The CTC speech recognizer as an ML.NET estimator: it learns a synthetic task, saves and loads, and refuses bad input clearly.</summary>
[TestClass]
public sealed class SpeechRecognitionTests
{
    private const int Bins = 8;

    public sealed class Utterance
    {
        [VectorType] public float[] Features { get; set; } = [];
        public string Transcript { get; set; } = "";
    }

    /// <summary>1-4 letters of "abc", each 3 frames of its own bump over 8 bins, with 1-3 noisy silent frames around.</summary>
    internal static Utterance[] Utterances(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var frames = new List<float>();
            string text = new([.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => "abc"[random.Next(3)])]);
            void Silence() { for (int i = random.Next(1, 4) * Bins; i > 0; i--) frames.Add((float)(0.1 * (random.NextDouble() - 0.5))); }
            Silence();
            foreach (char letter in text)
            {
                int center = 2 * (letter - 'a' + 1);
                for (int t = 0; t < 3; t++)
                    for (int bin = 0; bin < Bins; bin++) frames.Add((float)(Math.Exp(-0.5 * Math.Pow(bin - center, 2)) + 0.1 * (random.NextDouble() - 0.5)));
                Silence();
            }
            return new Utterance { Features = [.. frames], Transcript = text };
        })];
    }

    internal static SpeechRecognitionOptions Options() => new()
    {
        FrameSize = Bins, ConvolutionChannels = 4, ConvolutionKernel = (5, 3), ConvolutionStride = (2, 1), HiddenSize = 24, NumberOfLayers = 1,
        NumberOfEpochs = 12, BatchSize = 16, LearningRate = 1e-2f, GradientClipNorm = 5f, Seed = 1, TimesColumnName = "SpikeFrames",
    };

    [TestMethod]
    public void ARecognizerLearnsASyntheticTaskAndSavesAndLoads()
    {
        var ml = new MLContext(1);
        IDataView train = ml.Data.LoadFromEnumerable(Utterances(320, 1)), test = ml.Data.LoadFromEnumerable(Utterances(60, 2));
        SpeechRecognitionTransformer model = ml.Transforms.SpeechRecognition(Options()).Fit(train);
        IDataView recognized = model.Transform(test);
        string[] references = [.. test.GetColumn<string>("Transcript")], hypotheses = [.. recognized.GetColumn<string>("PredictedTranscript")];
        int exact = references.Zip(hypotheses).Count(p => p.First == p.Second);
        Assert.IsGreaterThanOrEqualTo(54, exact, $"{exact} of 60 transcribed exactly; e.g. '{references[0]}' -> '{hypotheses[0]}'");
        TranscriptionMetrics metrics = TranscriptionEvaluator.Evaluate(references.Zip(hypotheses));
        Assert.IsLessThan(0.05, metrics.CharacterErrorRate);
        uint[][] tokens = [.. recognized.GetColumn<VBuffer<uint>>("PredictedTokens").Select(v => v.DenseValues().ToArray())];
        int[][] spikes = [.. recognized.GetColumn<VBuffer<int>>("SpikeFrames").Select(v => v.DenseValues().ToArray())];
        for (int i = 0; i < 60; i++)
        {
            Assert.HasCount(hypotheses[i].Length, tokens[i], "one key per recognized letter");
            Assert.HasCount(tokens[i].Length, spikes[i]);
            Assert.IsTrue(spikes[i].Zip(spikes[i].Skip(1)).All(p => p.First < p.Second), "spikes come in time order");
        }

        var loaded = ((IEnumerable<ITransformer>)ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, model, train.Schema)), out _)).OfType<SpeechRecognitionTransformer>().Single();
        CollectionAssert.AreEqual(hypotheses, loaded.Transform(test).GetColumn<string>("PredictedTranscript").ToArray(), "the loaded model (batch norm statistics included) transcribes alike");
        Assert.AreEqual(hypotheses[3], loaded.Transcribe(Utterances(60, 2)[3].Features).Text);
    }

    [TestMethod]
    public void BeamSearchWithALanguageModelAndLexiconDecodesAndSurvivesSaveAndLoad()
    {
        var ml = new MLContext(1);
        Utterance[] trainRows = Utterances(320, 7);
        IDataView train = ml.Data.LoadFromEnumerable(trainRows), test = ml.Data.LoadFromEnumerable(Utterances(60, 8));
        SpeechRecognitionTransformer greedy = ml.Transforms.SpeechRecognition(Options()).Fit(train);
        string[] references = [.. test.GetColumn<string>("Transcript")];
        int Exact(SpeechRecognitionTransformer m) => references.Zip(m.Transform(test).GetColumn<string>("PredictedTranscript")).Count(p => p.First == p.Second);
        Assert.IsFalse(greedy.UsesBeamSearch);

        SpeechRecognitionTransformer beam = greedy.WithDecoder(new SpeechDecoderOptions
        {
            BeamWidth = 8, LanguageModelText = trainRows.Select(r => r.Transcript), LanguageModelUnit = SymbolUnit.Character, LanguageModelOrder = 3,
            Smoothing = NGramSmoothing.WittenBell, LanguageModelWeight = 0.3f,
        });
        Assert.IsTrue(beam.UsesBeamSearch);
        int greedyExact = Exact(greedy), beamExact = Exact(beam);
        Assert.IsGreaterThanOrEqualTo(greedyExact - 1, beamExact, $"beam {beamExact} vs greedy {greedyExact} exact of 60");
        IDataView beamOut = beam.Transform(test);
        string[] hypotheses = [.. beamOut.GetColumn<string>("PredictedTranscript")];
        int[][] spikes = [.. beamOut.GetColumn<VBuffer<int>>("SpikeFrames").Select(v => v.DenseValues().ToArray())];
        for (int i = 0; i < 60; i++)
        {
            Assert.HasCount(hypotheses[i].Length, spikes[i], "one forced-aligned spike per letter");
            Assert.IsTrue(spikes[i].Zip(spikes[i].Skip(1)).All(p => p.First < p.Second), "spikes come in time order");
        }

        // A lexicon of words made of 'a' and 'b' only: no transcript may hold a 'c' or another word.
        string[] lexicon = ["a", "b", "ab", "ba", "aa", "bb"];
        SpeechRecognitionTransformer constrained = beam.WithDecoder(new SpeechDecoderOptions { BeamWidth = 8, Lexicon = lexicon });
        string[] limited = [.. constrained.Transform(test).GetColumn<string>("PredictedTranscript")];
        Assert.IsTrue(limited.All(h => h.Length == 0 || lexicon.Contains(h)), string.Join(", ", limited.Where(h => !lexicon.Contains(h))));
        Assert.IsTrue(references.Zip(limited).Where(p => lexicon.Contains(p.First)).Count(p => p.First == p.Second) >= references.Count(lexicon.Contains) - 2,
            "utterances whose transcript is in the lexicon are still recognized");

        var loaded = ((IEnumerable<ITransformer>)ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, beam, train.Schema)), out _)).OfType<SpeechRecognitionTransformer>().Single();
        Assert.IsTrue(loaded.UsesBeamSearch);
        CollectionAssert.AreEqual(hypotheses, loaded.Transform(test).GetColumn<string>("PredictedTranscript").ToArray(), "the language model is saved with the model");
        var reloaded = ((IEnumerable<ITransformer>)ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, constrained, train.Schema)), out _)).OfType<SpeechRecognitionTransformer>().Single();
        CollectionAssert.AreEqual(limited, reloaded.Transform(test).GetColumn<string>("PredictedTranscript").ToArray(), "the lexicon is saved with the model");

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => greedy.WithDecoder(new SpeechDecoderOptions { BeamWidth = 0 }));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => greedy.WithDecoder(new SpeechDecoderOptions { LanguageModelText = ["", " "] })).Message, "no symbols");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => greedy.WithDecoder(new SpeechDecoderOptions { Lexicon = [" "] })).Message, "no word");
    }

    [TestMethod]
    public void WithSpecAugmentTempoPerturbationAndSeparateValidationDataItStillLearns()
    {
        var ml = new MLContext(1);
        SpeechRecognitionOptions options = Options();
        options.TimeMaskCount = 1;
        options.TimeMaskWidth = 3;
        options.FrequencyMaskCount = 1;
        options.FrequencyMaskWidth = 2;
        options.TempoPerturbation = 0.3f;
        options.EarlyStoppingPatience = 3;
        IDataView train = ml.Data.LoadFromEnumerable(Utterances(320, 4)), validation = ml.Data.LoadFromEnumerable(Utterances(40, 5)), test = ml.Data.LoadFromEnumerable(Utterances(60, 6));
        SpeechRecognitionTransformer model = ml.Transforms.SpeechRecognition(options).Fit(train, validation);
        Assert.IsTrue(model.TrainingHistory.All(h => double.IsFinite(h.ValidationMetric)), "every epoch is scored on the validation utterances");
        string[] references = [.. test.GetColumn<string>("Transcript")], hypotheses = [.. model.Transform(test).GetColumn<string>("PredictedTranscript")];
        Assert.IsGreaterThanOrEqualTo(50, references.Zip(hypotheses).Count(p => p.First == p.Second));
    }

    [TestMethod]
    public void SortaGradVisitsTheShortestUtterancesFirstInTheFirstEpochOnly()
    {
        var examples = Enumerable.Range(0, 20).Select(i => new SequenceExample(i, 1 + (i * 7) % 20, null, new float[1 + (i * 7) % 20], 0f, [1])).ToList();
        var source = new Utterances(examples, sortaGrad: true);
        int[] first = [.. source.Batches(4, new Random(1), 100).SelectMany(b => b).Select(e => e.Length)];
        CollectionAssert.AreEqual(first.Order().ToArray(), first, "epoch 1 is sorted by length");
        source.Epoch = 2;
        int[] second = [.. source.Batches(4, new Random(1), 100).SelectMany(b => b).Select(e => e.Length)];
        CollectionAssert.AreNotEqual(second.Order().ToArray(), second, "later epochs are shuffled");
    }

    [TestMethod]
    public void BadTranscriptsColumnsAndOptionsGiveClearErrors()
    {
        var ml = new MLContext(1);
        Utterance[] rows = Utterances(10, 3);
        rows[4].Transcript = "";
        var empty = Assert.ThrowsExactly<InvalidDataException>(() => ml.Transforms.SpeechRecognition(Options()).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(empty.Message, "Row 4 of column 'Transcript' is empty");
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.SpeechRecognition(Options()).Fit(ml.Data.LoadFromEnumerable(rows.Select(r => new { r.Features }))));
        StringAssert.Contains(missing.Message, "'Transcript'");
        rows[4].Features[5] = float.NaN;
        rows[4].Transcript = "a";
        var nan = Assert.ThrowsExactly<InvalidDataException>(() => ml.Transforms.SpeechRecognition(Options()).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(nan.Message, "Row 4");
        SpeechRecognitionOptions tempo = Options();
        tempo.TempoPerturbation = 0.6f;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.SpeechRecognition(tempo)).Message, "TempoPerturbation");
    }
}
