using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Recurrent.Audio;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>
/// <c>audio</c>: mel power spectrogram, MFCC, Kaldi fbank and Kaldi MFCC of 16-bit PCM. The
/// parameters are read from each feature's <c>params</c> text (key=value pairs), so other sample
/// rates and sizes are handled without special cases.
/// </summary>
public sealed partial class AudioFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "audio";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        int rate = Json.Int(c, "sample_rate");
        float[] pcm = Json.Get(c, "pcm16").EnumerateArray().Select(e => (float)Json.Number(e)).ToArray();
        float[] scaled = pcm.Select(v => v / 32768f).ToArray();
        int compared = 0;
        if (c.TryGetProperty("mel_power", out var melCase))
        {
            var mel = new MelSpectrogram(MelOptions(Params(melCase), rate));
            cmp.Check("mel_power", mel.Compute(scaled), Json.Tensor(melCase, "value").Data);
            compared++;
            if (c.TryGetProperty("mfcc", out var mfccCase))
            {
                string text = Json.Get(mfccCase, "params").GetString() ?? "";
                var options = MelOptions(Params(melCase), rate) with
                {
                    Coefficients = FirstCoefficients().Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : Json.Tensor(mfccCase, "value").Shape[1],
                    LogOffset = LogOffset().Match(text) is { Success: true } o ? double.Parse(o.Groups[1].Value, CultureInfo.InvariantCulture) : 1e-6,
                };
                cmp.Check("mfcc", new MelSpectrogram(options).ComputeMfcc(scaled), Json.Tensor(mfccCase, "value").Data);
                compared++;
            }
        }
        if (c.TryGetProperty("kaldi_fbank", out var fbankCase))
        {
            cmp.Check("kaldi_fbank", new KaldiFeatures(KaldiOptions(Params(fbankCase), rate, null)).Fbank(pcm), Json.Tensor(fbankCase, "value").Data);
            compared++;
            if (c.TryGetProperty("kaldi_mfcc", out var kaldiMfccCase))
            {
                var options = KaldiOptions(Params(kaldiMfccCase), rate, Params(fbankCase));
                cmp.Check("kaldi_mfcc", new KaldiFeatures(options).Mfcc(pcm), Json.Tensor(kaldiMfccCase, "value").Data);
                compared++;
            }
        }
        if (compared == 0) throw new FormatException("The audio case holds none of mel_power, mfcc, kaldi_fbank, kaldi_mfcc.");
    }

    private static MelSpectrogram.Options MelOptions(Dictionary<string, string> p, int rate) => new()
    {
        SampleRate = rate,
        FftSize = Int(p, "n_fft", 400),
        WindowLength = Int(p, "win_length", Int(p, "n_fft", 400)),
        HopLength = Int(p, "hop", Int(p, "hop_length", Int(p, "win_length", 400) / 2)),
        MelCount = Int(p, "n_mels", 128),
        MinFrequency = Double(p, "f_min", 0),
        MaxFrequency = p.TryGetValue("f_max", out var fMax) && fMax != "sr/2" && fMax != "None" ? double.Parse(fMax, CultureInfo.InvariantCulture) : 0,
        Center = !p.TryGetValue("center", out var center) || center == "True",
    };

    private static KaldiFeatures.Options KaldiOptions(Dictionary<string, string> p, int rate, Dictionary<string, string>? fallback)
    {
        string Get(string key, string value) => p.TryGetValue(key, out var v) ? v : fallback is not null && fallback.TryGetValue(key, out var f) ? f : value;
        double D(string key, double value) => double.Parse(Get(key, value.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new KaldiFeatures.Options
        {
            SampleRate = rate,
            FrameLengthMs = D("frame_length", 25),
            FrameShiftMs = D("frame_shift", 10),
            Preemphasis = D("preemphasis_coefficient", 0.97),
            RemoveDcOffset = Get("remove_dc_offset", "True") == "True",
            Window = Get("window_type", "povey"),
            RoundToPowerOfTwo = Get("round_to_power_of_two", "True") == "True",
            MelBins = (int)D("num_mel_bins", 23),
            LowFrequency = D("low_freq", 20),
            HighFrequency = D("high_freq", 0),
            Cepstra = (int)D("num_ceps", 13),
            CepstralLifter = D("cepstral_lifter", 22),
        };
    }

    private static Dictionary<string, string> Params(JsonElement feature)
    {
        string text = Json.Get(feature, "params").GetString() ?? "";
        return KeyValue().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.TrimEnd(',', ';', ')'));
    }

    private static int Int(Dictionary<string, string> p, string key, int fallback) =>
        p.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static double Double(Dictionary<string, string> p, string key, double fallback) =>
        p.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    [GeneratedRegex(@"(\w+)=([^\s,;]+)")]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"first (\d+) coefficients")]
    private static partial Regex FirstCoefficients();

    [GeneratedRegex(@"log\(mel_power \+ ([0-9.eE+-]+)\)")]
    private static partial Regex LogOffset();
}
