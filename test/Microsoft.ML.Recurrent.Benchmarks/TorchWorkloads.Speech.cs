using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>TorchSharp's side of the speech issue's rows, as a TorchSharp user writes Deep Speech 2 and its log-mel front end.</summary>
internal static partial class TorchWorkloads
{
    /// <summary>nn.Conv2d (stride 2, 2) + hardtanh(0, 20), nn.BatchNorm1d over the steps, nn.GRU (bidirectional, stacked), nn.Linear, ctc_loss, backward, optim.Adam.</summary>
    public static Action SpeechStep(int batch, int frames, int features, int channels, int hidden, int layers, int classes, int targetLength)
    {
        manual_seed(1);
        var random = new Random(5);
        int bins = (features - 1) / 2 + 1, outFrames = (frames - 1) / 2 + 1, width = channels * bins;
        var conv = nn.Conv2d(1, channels, (11, 11), stride: (2, 2), padding: (5, 5));
        var norm = nn.BatchNorm1d(width);
        var gru = nn.GRU(width, hidden, layers, bidirectional: true);
        var output = nn.Linear(2 * hidden, classes);
        var parameters = conv.parameters().Concat(norm.parameters()).Concat(gru.parameters()).Concat(output.parameters()).ToList();
        var adam = optim.Adam(parameters, 1e-4);
        Tensor x = tensor(Data.Uniform(batch * frames * features, random), [batch, 1, frames, features]);
        int[][] targets = Data.Targets(batch, targetLength, classes, random);
        Tensor target = tensor(targets.SelectMany(t => t).Select(v => (long)v).ToArray(), [batch, targetLength]);
        Tensor inputLengths = full(batch, outFrames, ScalarType.Int64), targetLengths = full(batch, targetLength, ScalarType.Int64);
        return () =>
        {
            using var scope = NewDisposeScope();
            Tensor planes = nn.functional.hardtanh(conv.call(x), 0, 20);                       // [B, C, T', F']
            Tensor steps = planes.permute(2, 0, 1, 3).reshape(outFrames, batch, width);        // [T', B, C*F']
            Tensor normalized = norm.call(steps.reshape(outFrames * batch, width)).reshape(outFrames, batch, width);
            Tensor encoded = gru.call(normalized, null).Item1;
            Tensor logProbabilities = output.call(encoded).log_softmax(2);
            Tensor loss = nn.functional.ctc_loss(logProbabilities, target, inputLengths, targetLengths, 0, true, nn.Reduction.Mean);
            loss.backward();
            adam.step();
            adam.zero_grad();
        };
    }

    /// <summary>
    /// Log-mel features as a TorchSharp user computes them without torchaudio (TorchSharp ships none of its transforms): one
    /// batched <c>torch.stft</c> (Hann window, centred, reflect padding), the power, a matmul with the same HTK mel bank, log.
    /// </summary>
    public static Action LogMel(int utterances, double seconds, int sampleRate)
    {
        int samples = (int)(seconds * sampleRate), window = sampleRate * 25 / 1000, hop = sampleRate / 100, fft = 1;
        while (fft < window) fft *= 2;
        float[][] audio = Data.Audio(utterances, samples, new Random(5));
        Tensor x = tensor(audio.SelectMany(a => a).ToArray(), [utterances, samples]);
        Tensor hann = hann_window(window, periodic: true, dtype: ScalarType.Float32);
        double[,] bank = Audio.MelScale.HtkFilterBank(fft / 2 + 1, 40, 0, sampleRate / 2.0, sampleRate);
        Tensor mel = tensor(bank.Cast<double>().Select(v => (float)v).ToArray(), [fft / 2 + 1, 40]);
        return () =>
        {
            using var scope = NewDisposeScope();
            Tensor spectrum = stft(x, fft, hop, window, hann, center: true, pad_mode: PaddingModes.Reflect, return_complex: true);   // [B, bins, frames]
            Tensor power = spectrum.abs().square().transpose(1, 2);                                                                  // [B, frames, bins]
            matmul(power, mel).add_(1e-6f).log_();
        };
    }
}
