// SpeechDigits: connected-digit recognition with a CTC acoustic model (convolution, batch norm, bidirectional GRUs),
// trained on utterances of 1-7 digits built from single-digit clips of one speaker at a time (random gaps, gains and,
// for training, speed perturbation), scored by word and character error rate on other speakers.
// Usage: dotnet run -c Release --project src/Samples/SpeechDigits [-- --train ../shared/data/fsdd/recordings [--test DIR]
//        [--validation-speaker NAME] [--utterances 3000] [--test-utterances 300] [--unit letters|tokens] [--hidden 128] [--layers 3]
//        [--features mfcc|logmel] [--top-db 40|off (off without --train)] [--speed 0.25] [--tilt 0] [--tempo 0] [--noise 10|off] [--weight-average 0] [--dropout 0.3] [--beam 16] [--lm-weight 0.5] [--vote-speeds 0.8,0.85,...,1.2|off (off without --train)] [--ensemble 2 (1 without --train)] [--load PATH] --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N]
// The test set is decoded greedily and by a beam search that spells only digit words, weighed by a word trigram model of
// the training transcripts (--beam 1 skips it); with the recordings the test utterances are also decoded played at eight other
// speeds and the transcripts voted (--vote-speeds); with the recordings two recognizers from two seeds train side by side
// (--ensemble), and every one's transcripts are voted. The model saved is the beam search's (all recognizers in one file),
// the metrics the vote's. --load scores a saved model (with the same data flags) instead of training one.
// Without --train it generates stand-in clips (harmonic tones per digit, four synthetic speakers). Without --test the
// validation speaker's clips (default: the last speaker by name) are the test set and the other speakers train.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent;
using Microsoft.ML.Recurrent.Samples;
using Microsoft.ML.Recurrent.Samples.SpeechDigits;

const string usage = "Flags: --train DIR --test DIR --validation-speaker NAME --utterances N --test-utterances N --unit letters|tokens --hidden N --layers N "
    + "--features mfcc|logmel --top-db DB|off --speed S --tilt T --tempo P --noise DB|off --weight-average D --dropout P --beam N --lm-weight W --vote-speeds S,S,...|off --ensemble N --load PATH --model PATH --metrics PATH --predictions PATH --plots DIR --onnx PATH --epochs N --seed N";
SampleArguments arguments = SampleArguments.Parse(args, usage, "--validation-speaker", "--utterances", "--test-utterances", "--unit", "--hidden", "--layers",
    "--features", "--top-db", "--speed", "--tilt", "--tempo", "--noise", "--beam", "--lm-weight", "--vote-speeds", "--ensemble", "--load", "--weight-average", "--dropout");
bool tokens = (arguments.Get("--unit") ?? "letters") == "tokens";
var clock = Stopwatch.StartNew();
List<DigitClip> clips = arguments.Train.Count > 0 ? DigitClips.Read(arguments.Train) : DigitClips.Generate(speakers: 4, perDigit: 20, arguments.Seed);
// With --test: train on every --train speaker for all epochs (12 by default: the validation runs' best epochs were 3-12,
// and two recognizers of 12 epochs side by side train in 11-12 minutes on two cores) and score the --test speakers. Without: the validation
// speaker (default the last by name) is left out of training; its clips with index below 25 stop training early and
// the others are scored (the same speaker, other recordings: development figures).
List<DigitClip> testClips, stopClips = [];
if (arguments.Test.Count > 0) testClips = DigitClips.Read(arguments.Test);
else
{
    string speaker = arguments.Get("--validation-speaker") ?? clips.Select(c => c.Speaker).Distinct().Order(StringComparer.Ordinal).Last();
    DigitClip[] held = [.. clips.Where(c => c.Speaker == speaker)];
    if (held.Length == 0) throw new ArgumentException($"No clips of speaker '{speaker}' (speakers: {string.Join(", ", clips.Select(c => c.Speaker).Distinct())}).");
    stopClips = [.. held.Where(c => c.Index < 25)];
    testClips = [.. held.Where(c => c.Index >= 25)];
    clips = [.. clips.Where(c => c.Speaker != speaker)];
}
int trainCount = arguments.Int("--utterances", arguments.Train.Count > 0 ? 3000 : 800), testCount = arguments.Int("--test-utterances", 300);
double speed = double.Parse(arguments.Get("--speed") ?? "0.25", System.Globalization.CultureInfo.InvariantCulture);
// Training utterances also get white noise at 10-40 dB SNR (--noise sets the floor; off for none): with the stronger
// SpecAugment and dropout it took the validation speaker's stopping-set symbol error rate from 0.119 to about 0.10.
string noise = arguments.Get("--noise") ?? "10";
double? noiseFloor = noise == "off" ? null : double.Parse(noise, System.Globalization.CultureInfo.InvariantCulture);
double tilt = double.Parse(arguments.Get("--tilt") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
List<DigitUtterance> trainUtterances = DigitUtterances.Build(clips, trainCount, tokens, speedPerturbation: speed, arguments.Seed, noiseFloor, tilt);
List<DigitUtterance> testUtterances = DigitUtterances.Build(testClips, testCount, tokens, speedPerturbation: 0, arguments.Seed + 1);
List<DigitUtterance> stopUtterances = stopClips.Count > 0 ? DigitUtterances.Build(stopClips, testCount, tokens, speedPerturbation: 0, arguments.Seed + 2) : [];
double testSeconds = testUtterances.Sum(u => u.Audio.Length) / (double)DigitClips.SampleRate;
Console.WriteLine($"{clips.Count} training clips ({string.Join(", ", clips.Select(c => c.Speaker).Distinct())}) -> {trainCount} utterances of "
    + $"{trainUtterances.Sum(u => u.Audio.Length) / (double)DigitClips.SampleRate / 60:F1} minutes; {testClips.Count} test clips ({string.Join(", ", testClips.Select(c => c.Speaker).Distinct())}) "
    + $"-> {testCount} utterances of {testSeconds / 60:F1} minutes; symbols: {(tokens ? "digit tokens" : "letters of the digit words")}; built in {clock.Elapsed.TotalSeconds:F0} s.");

var ml = new MLContext(arguments.Seed);
TrainerLog.Attach(ml, nameof(SpeechRecognitionTrainer));
IDataView train = ml.Data.LoadFromEnumerable(trainUtterances), test = ml.Data.LoadFromEnumerable(testUtterances);
// Each utterance's log mel power is held within 40 dB of its loudest value (--top-db): one FSDD speaker's silences lie 45 dB
// below his speech, the others' 16-25 dB. Each speaker left out in turn (the other three training), beam WER without -> with:
// lucas 24.5% -> 17.6%, jackson 30.2% -> 27.0%, nicolas 12.6% -> 14.8%. The generated stand-in digits keep part of what
// tells them apart (their pitch, in harmonics far from the formant) more than 40 dB down: with the floor their beam WER went from
// 9.0% to 12.4%, so they are featurized without it.
string topDb = arguments.Get("--top-db") ?? (arguments.Train.Count > 0 ? "40" : "off");
// Two recognizers (seeds 1 and 2), 12 epochs each, side by side on one core each, their transcripts of all nine speeds voted
// (--ensemble): each speaker left out in turn, voted WER jackson 23.4% -> 18.6%, lucas 13.5% -> 15.2%, nicolas 13.8% -> 14.0%
// against one recognizer of 15 epochs on both cores, in the same training time (650-683 s against 647-702 s).
int ensemble = arguments.Int("--ensemble", arguments.Train.Count > 0 ? 2 : 1);
if (ensemble < 1) throw new ArgumentException($"--ensemble needs 1 or more recognizers; got {ensemble}.");
var settings = new SpeechModel.Settings(arguments.Int("--hidden", 128), arguments.Int("--layers", 3), arguments.Epochs(arguments.Test.Count > 0 ? 12 : arguments.Train.Count > 0 ? 20 : 12), tokens, arguments.Seed,
    Mfcc: (arguments.Get("--features") ?? "mfcc") == "mfcc",
    WeightAverage: float.Parse(arguments.Get("--weight-average") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
    Tempo: float.Parse(arguments.Get("--tempo") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
    TopDecibels: topDb == "off" ? 0 : float.Parse(topDb, System.Globalization.CultureInfo.InvariantCulture),
    Members: ensemble, Dropout: float.Parse(arguments.Get("--dropout") ?? "0.3", System.Globalization.CultureInfo.InvariantCulture));
clock.Restart();
IDataView? stop = stopUtterances.Count > 0 ? ml.Data.LoadFromEnumerable(stopUtterances) : null;
ITransformer model = arguments.Get("--load") is string load
    ? ml.Model.LoadRecurrentModel(load, out _)
    : TrainingDisplay.Run($"CTC recognizer{(settings.Members > 1 ? $" 1 of {settings.Members} (side by side)" : "")}, {settings.Layers} x BiGRU {settings.Hidden}", progress => SpeechModel.Train(ml, settings, train, stop, progress), "utterances");
double trainSeconds = clock.Elapsed.TotalSeconds;
TrainingPlots.Curves(arguments.Plots, "SpeechDigits: CTC recognizer", TrainingPlots.HistoryOf(model));
arguments.ExportOnnx(ml, SpeechModel.Recognizers(model)[0]);   // an ensemble's first member: ONNX Runtime would run each member alone

// A loaded model decodes as it was saved: greedy figures come from the same network with the default decoder.
int members = SpeechModel.Recognizers(model).Length;
model = SpeechModel.WithDecoder(model, new SpeechDecoderOptions());
SpeechModel.Recognize(model, ml.Data.TakeRows(test, 4));   // warm-up (JIT), so the real-time factors time decoding
clock.Restart();
List<SpeechModel.Recognition> greedy = SpeechModel.Recognize(SpeechModel.FirstRecognizer(model), test);   // the first recognizer's figures
double greedySeconds = clock.Elapsed.TotalSeconds;
TranscriptionMetrics greedyMetrics = TranscriptionEvaluator.Evaluate(greedy.Select(r => (r.Transcript, r.PredictedTranscript)));
int beamWidth = arguments.Int("--beam", 16);
float lmWeight = float.Parse(arguments.Get("--lm-weight") ?? "0.5", System.Globalization.CultureInfo.InvariantCulture);
if (beamWidth > 1) model = SpeechModel.WithBeamSearch(model, trainUtterances.Select(u => u.Transcript), tokens, beamWidth, lmWeight);
model = ModelFile.SaveAndLoad(ml, model, train.Schema, arguments.Model);
clock.Restart();
List<SpeechModel.Recognition> recognized = beamWidth > 1 || members > 1 ? SpeechModel.Recognize(model, test) : greedy;
double decodeSeconds = beamWidth > 1 || members > 1 ? clock.Elapsed.TotalSeconds : greedySeconds;
TranscriptionMetrics metrics = beamWidth > 1 || members > 1 ? TranscriptionEvaluator.Evaluate(recognized.Select(r => (r.Transcript, r.PredictedTranscript))) : greedyMetrics;
string first = members > 1 ? $", the first of {members} recognizers' WER, all {members} decoding" : "";
Console.WriteLine();
Console.WriteLine($"{(arguments.Get("--load") is null ? $"Trained in {trainSeconds:F0} s" : "Loaded")}. {(arguments.Test.Count > 0 ? "Test speakers" : "Validation speaker, recordings not used for stopping")} ({testCount} utterances):");
Console.WriteLine($"Greedy decoding ({testSeconds:F0} s of audio in {greedySeconds:F1} s, real-time factor {greedySeconds / testSeconds:F4}{(members > 1 ? ", the first recognizer" : "")}):");
Console.WriteLine(greedyMetrics);
if (beamWidth > 1)
{
    Console.WriteLine($"Beam search of {beamWidth} with the digit-word lexicon and a word trigram model (weight {lmWeight}; {decodeSeconds:F1} s, real-time factor {decodeSeconds / testSeconds:F4}{first}):");
    Console.WriteLine(metrics);
}
for (int m = 1; m < members; m++)
    Console.WriteLine($"Ensemble member {m + 1}: WER {100 * TranscriptionEvaluator.Evaluate(recognized.Select(r => (r.Transcript, r.Members[m]))).WordErrorRate:F2} %");
// Test-time voting (--vote-speeds; off for none): the test utterances are also decoded played at other speeds, and each
// utterance's transcripts are combined by word voting, the original's as the pivot; metrics and predictions are then the vote's.
// With the recordings it is on, speeds 0.8-1.2 in steps of 0.05: left-out speakers' beam WER (one recognizer) jackson 27.0% -> 23.4%, lucas
// 17.6% -> 13.5%, nicolas 14.8% -> 13.8%, for about nine times the decoding.
string voteSpeeds = arguments.Get("--vote-speeds") ?? (arguments.Train.Count > 0 ? "0.8,0.85,0.9,0.95,1.05,1.1,1.15,1.2" : "off");
TranscriptionMetrics? unvotedMetrics = null;
if (voteSpeeds != "off" || members > 1)
{
    double[] factors = voteSpeeds == "off" ? [] : [.. voteSpeeds.Split(',').Select(f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture))];
    IDataView[] versions = [.. factors.Select(f => ml.Data.LoadFromEnumerable(DigitUtterances.Build(
        [.. testClips.Select(c => c with { Samples = Microsoft.ML.Recurrent.Audio.AudioAugmentation.SpeedPerturb(c.Samples, f) })], testCount, tokens, speedPerturbation: 0, arguments.Seed + 1)))];
    clock.Restart();
    recognized = SpeechModel.RecognizeByVote(model, recognized, versions);
    decodeSeconds += clock.Elapsed.TotalSeconds;   // the original's decoding counts too
    (unvotedMetrics, metrics) = (metrics, TranscriptionEvaluator.Evaluate(recognized.Select(r => (r.Transcript, r.PredictedTranscript))));
    Console.WriteLine($"Voted over {(members > 1 ? $"{members} recognizers x " : "")}{(factors.Length > 0 ? $"the original and speeds {voteSpeeds}" : "the original")} ({decodeSeconds:F1} s, real-time factor {decodeSeconds / testSeconds:F4}):");
    Console.WriteLine(metrics);
}
Console.WriteLine("Examples:");
foreach (SpeechModel.Recognition r in recognized.Take(6))
    Console.WriteLine($"  {(r.Transcript == r.PredictedTranscript ? "ok " : "ERR")} {r.Transcript,-45} -> {r.PredictedTranscript}");

if (arguments.Plots is string plots)
{
    SpeechRecognitionTransformer recognizer = SpeechModel.Recognizers(model)[0];
    float[] features = [.. model.Transform(ml.Data.TakeRows(test, 1)).GetColumn<VBuffer<float>>("Features").First().DenseValues()];
    var (text, symbols) = recognizer.Transcribe(features);
    SpikePlot.Draw(plots, features, settings.FeatureSize, symbols, recognizer.Architecture.ConvolutionStride.Time, $"{testUtterances[0].Transcript}  ->  {text}");
}
arguments.WritePredictions(recognized.Select(r => $"{r.Id}\t{r.Transcript}\t{r.PredictedTranscript}"));
arguments.WriteMetrics(new Dictionary<string, object>
{
    ["wer"] = metrics.WordErrorRate, ["cer"] = metrics.CharacterErrorRate, ["greedy_wer"] = greedyMetrics.WordErrorRate, ["greedy_cer"] = greedyMetrics.CharacterErrorRate,
    ["unvoted_wer"] = (unvotedMetrics ?? metrics).WordErrorRate,
    ["train_seconds"] = trainSeconds, ["real_time_factor"] = decodeSeconds / testSeconds, ["greedy_real_time_factor"] = greedySeconds / testSeconds,
    ["test_utterances"] = testCount, ["train_utterances"] = trainCount,
});
return 0;
