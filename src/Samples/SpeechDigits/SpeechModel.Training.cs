using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Audio;

namespace Microsoft.ML.Recurrent.Samples.SpeechDigits;

/// <summary>
/// Training part: 13 MFCCs with deltas (or 40 log-mel bands) per 10 ms within a dynamic range, normalized per utterance, then
/// one CTC recognizer (SpecAugment, dropout 0.3) or an ensemble of them trained side by side from other seeds.
/// </summary>
internal static partial class SpeechModel
{
    /// <summary>What the sample varies by flag.</summary>
    /// <param name="Hidden">GRU units per direction.</param>
    /// <param name="Layers">Bidirectional GRU layers.</param>
    /// <param name="Epochs">Training epochs (early stopping may end sooner).</param>
    /// <param name="DigitTokens">Whether the symbols are digit tokens rather than the letters of the words.</param>
    /// <param name="Seed">Initialization and shuffling.</param>
    /// <param name="Mfcc">Whether the features are 13 MFCCs with deltas and delta-deltas rather than 40 log-mel bands.</param>
    /// <param name="WeightAverage">Decay of the weights' moving average that validation and the model use (0: the last step's weights).</param>
    /// <param name="Tempo">The trainer's tempo perturbation: frames stretched by a factor in [1 - p, 1 + p] at each visit (0: off).</param>
    /// <param name="TopDecibels">The featurizer's dynamic range per utterance in dB (0: off).</param>
    /// <param name="Members">Recognizers trained side by side (seeds Seed, Seed + 1, ...), each on its share of the cores.</param>
    /// <param name="Dropout">Dropout on the recurrent input and between the layers.</param>
    public sealed record Settings(int Hidden, int Layers, int Epochs, bool DigitTokens, int Seed, bool Mfcc = false, float WeightAverage = 0, float Tempo = 0, float TopDecibels = 0,
        int Members = 1, float Dropout = 0.3f)
    {
        /// <summary>Features per frame.</summary>
        public int FeatureSize => Mfcc ? 39 : 40;
    }

    /// <summary>
    /// Fits the featurizer and trains the recognizers on <paramref name="train"/> (8 kHz samples in the Audio column, text in
    /// the Transcript column), stopping early on <paramref name="validation"/> when given (utterances of a speaker not in
    /// training), else training all epochs; returns the chain featurizer -> recognizer(s), member i writing the columns
    /// <see cref="TranscriptColumn"/>(i). <paramref name="progress"/> sees the first member.
    /// </summary>
    public static ITransformer Train(MLContext ml, Settings s, IDataView train, IDataView? validation, Action<TrainingProgressReport>? progress = null)
    {
        var featurizer = ml.Transforms.AudioFeatures(new AudioFeatureOptions
        {
            InputColumnName = nameof(DigitUtterance.Audio), OutputColumnName = "Features", SampleRate = DigitClips.SampleRate,
            Kind = s.Mfcc ? AudioFeatureKind.Mfcc : AudioFeatureKind.LogMel, MelCount = 40, Coefficients = 13, DeltaOrder = s.Mfcc ? 2 : 0,
            Normalization = AudioNormalization.Utterance, TopDecibels = s.TopDecibels,
        }).Fit(train);
        IDataView frames = ml.Data.Cache(featurizer.Transform(train));
        IDataView? validationFrames = validation is null ? null : ml.Data.Cache(featurizer.Transform(validation));
        // One thread each: two recognizers on two cores took 847-862 s where one on both took 629-702 s (3,000 utterances x 15 epochs),
        // since a step of this small network gains only about 1.2x from a second thread.
        int threads = Math.Max(1, Environment.ProcessorCount / s.Members);
        SpeechRecognitionTransformer[] members = new SpeechRecognitionTransformer[s.Members];
        Parallel.For(0, s.Members, new ParallelOptions { MaxDegreeOfParallelism = s.Members }, m =>
            members[m] = Recognizer(ml, s, m, threads, validation is not null, m == 0 ? progress : null).Fit(frames, validationFrames));
        return new TransformerChain<ITransformer>([featurizer, .. members]);
    }

    /// <summary>The transcript column ensemble member <paramref name="member"/> (from 0) writes.</summary>
    public static string TranscriptColumn(int member) => member == 0 ? "PredictedTranscript" : $"PredictedTranscript{member + 1}";

    private static SpeechRecognitionTrainer Recognizer(MLContext ml, Settings s, int member, int threads, bool earlyStopping, Action<TrainingProgressReport>? progress) =>
        ml.Transforms.SpeechRecognition(new SpeechRecognitionOptions
        {
            FeatureColumnName = "Features", TranscriptColumnName = nameof(DigitUtterance.Transcript), TimesColumnName = member == 0 ? "SpikeFrames" : null,
            OutputColumnName = TranscriptColumn(member), TokensColumnName = member == 0 ? "PredictedTokens" : $"PredictedTokens{member + 1}", NumberOfThreads = threads,
            Unit = s.DigitTokens ? SymbolUnit.Word : SymbolUnit.Character,
            ConvolutionChannels = 32, ConvolutionKernel = (11, 11), ConvolutionStride = (2, 2),
            HiddenSize = s.Hidden, NumberOfLayers = s.Layers, Bidirectional = true, Dropout = s.Dropout,
            // SpecAugment: three speakers are few; masks, noise and speed perturbation (in the utterances) make the model lean on
            // more of the signal. Four time masks of up to 15 frames and two bands of up to 8, with dropout 0.3 and the noise
            // (2 x 10, 2 x 6 and 0.2 before): validation-speaker WER 16.0% -> 14.5% (beam), 26.0% -> 16.3% (greedy).
            TimeMaskCount = 4, TimeMaskWidth = 15, FrequencyMaskCount = 2, FrequencyMaskWidth = 8, TempoPerturbation = s.Tempo,
            NumberOfEpochs = s.Epochs, BatchSize = 16, LearningRate = 1e-3f, EarlyStoppingPatience = earlyStopping ? 5 : 0,
            LearningRateSchedule = new LearningRateSchedule { Decay = LearningRateDecay.Cosine },
            WeightAveragingDecay = s.WeightAverage, Seed = s.Seed + member, Progress = progress,
        });
}
