using Microsoft.ML.Recurrent.Audio;

namespace Microsoft.ML.Recurrent.Samples.SpeechDigits;

/// <summary>One recorded (or generated) spoken digit.</summary>
/// <param name="Name">The clip's name (its file name without the extension).</param>
/// <param name="Digit">0-9.</param>
/// <param name="Speaker">Who spoke it.</param>
/// <param name="Index">The recording's number for its digit and speaker (0-49 in the dataset).</param>
/// <param name="Samples">Mono samples at <see cref="DigitClips.SampleRate"/>.</param>
internal sealed record DigitClip(string Name, int Digit, string Speaker, int Index, float[] Samples);

/// <summary>Reads Free Spoken Digit Dataset clips (<c>{digit}_{speaker}_{index}.wav</c>, 8 kHz), or generates stand-ins for the run without data.</summary>
internal static class DigitClips
{
    public const int SampleRate = 8000;

    /// <summary>Every <c>{digit}_{speaker}_{index}.wav</c> in <paramref name="folders"/> (files or folders), resampled to 8 kHz when needed.</summary>
    public static List<DigitClip> Read(IEnumerable<string> folders)
    {
        var clips = new List<DigitClip>();
        foreach (string file in SampleArguments.Files(folders, ".wav"))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            string[] parts = name.Split('_');
            if (parts.Length != 3 || parts[0].Length != 1 || !char.IsAsciiDigit(parts[0][0]) || !int.TryParse(parts[2], out int index))
                throw new InvalidDataException($"{file}: expected a name {{digit}}_{{speaker}}_{{index}}.wav (the Free Spoken Digit Dataset's).");
            WavAudio audio = WavReader.Read(file);
            float[] samples = audio.SampleRate == SampleRate ? audio.Samples : Resampler.Resample(audio.Samples, audio.SampleRate, SampleRate);
            clips.Add(new DigitClip(name, parts[0][0] - '0', parts[1], index, samples));
        }
        return clips;
    }

    /// <summary>
    /// Stand-in clips for the run without data: each digit is a sequence of two or three vowel-like harmonic tones
    /// (its own pitch contour and formants), each speaker shifts pitch and tempo, and every clip has its own jitter and noise.
    /// </summary>
    public static List<DigitClip> Generate(int speakers, int perDigit, int seed)
    {
        var random = new Random(seed);
        var clips = new List<DigitClip>();
        for (int s = 0; s < speakers; s++)
        {
            double pitch = 100 + 40 * s, tempo = 0.85 + 0.1 * s;
            for (int digit = 0; digit < 10; digit++)
                for (int k = 0; k < perDigit; k++)
                {
                    var samples = new List<float>();
                    for (int part = 0; part < 2 + digit % 2; part++)
                    {
                        double formant = 500 + 230 * ((digit * 3 + part * 7) % 10), f0 = pitch * (1 + 0.15 * ((digit + part) % 3)) * (1 + 0.03 * (random.NextDouble() - 0.5));
                        int length = (int)(SampleRate * 0.12 * tempo * (1 + 0.2 * (random.NextDouble() - 0.5)));
                        for (int i = 0; i < length; i++)
                        {
                            double t = (double)i / SampleRate, envelope = Math.Sin(Math.PI * i / length), value = 0;
                            for (int h = 1; h <= 8; h++) value += Math.Exp(-Math.Pow((h * f0 - formant) / 400, 2)) * Math.Sin(2 * Math.PI * h * f0 * t);
                            samples.Add((float)(0.3 * envelope * value + 0.01 * (random.NextDouble() - 0.5)));
                        }
                    }
                    clips.Add(new DigitClip($"{digit}_synthetic{s}_{k}", digit, $"synthetic{s}", k * 50 / perDigit, [.. samples]));
                }
        }
        return clips;
    }
}
