namespace Microsoft.ML.Recurrent.Samples.SpeechDigits;

/// <summary>A connected-digit utterance: its id (the clip names joined by '+'), samples and transcript.</summary>
public sealed class DigitUtterance
{
    /// <summary>The clip names joined by '+'.</summary>
    public string Id { get; set; } = "";

    /// <summary>Mono samples at 8 kHz.</summary>
    public float[] Audio { get; set; } = [];

    /// <summary>The digits as words ("three one four"), or as digit tokens ("3 1 4").</summary>
    public string Transcript { get; set; } = "";
}

/// <summary>Builds connected-digit utterances from clips of one speaker at a time, deterministically for a seed.</summary>
internal static class DigitUtterances
{
    public static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>
    /// <paramref name="count"/> utterances of 1-7 digits; each takes clips of one speaker (chosen in turn), joined with
    /// silent gaps of 50-250 ms (with faint noise) and scaled by a gain in [0.6, 1.4]; with a <paramref name="speedPerturbation"/>
    /// s above 0 each clip is also played at 1 - s to 1 + s times its speed (pitch, formants and tempo together); with a
    /// <paramref name="tilt"/> t above 0 the whole utterance's spectrum is tilted by a coefficient uniform in [-t, t] (another
    /// microphone); with a <paramref name="noiseDecibels"/> floor it then gets white noise at a signal-to-noise ratio uniform
    /// in [floor, floor + 30] dB (null: none).
    /// </summary>
    public static List<DigitUtterance> Build(IReadOnlyList<DigitClip> clips, int count, bool digitTokens, double speedPerturbation, int seed, double? noiseDecibels = null, double tilt = 0)
    {
        var random = new Random(seed);
        var bySpeaker = clips.GroupBy(c => c.Speaker).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();
        var result = new List<DigitUtterance>(count);
        for (int u = 0; u < count; u++)
        {
            DigitClip[] speaker = bySpeaker[u % bySpeaker.Length];
            DigitClip[] chosen = [.. Enumerable.Range(0, random.Next(1, 8)).Select(_ => speaker[random.Next(speaker.Length)])];
            var samples = new List<float>();
            void Gap() { for (int i = (int)(DigitClips.SampleRate * (0.05 + 0.2 * random.NextDouble())); i > 0; i--) samples.Add((float)(0.002 * (random.NextDouble() - 0.5))); }
            Gap();
            foreach (DigitClip clip in chosen)
            {
                float gain = (float)(0.6 + 0.8 * random.NextDouble());
                float[] audio = speedPerturbation > 0 ? Audio.AudioAugmentation.SpeedPerturb(clip.Samples, 1 - speedPerturbation + 2 * speedPerturbation * random.NextDouble()) : clip.Samples;
                samples.AddRange(audio.Select(v => v * gain));
                Gap();
            }
            float[] audioSamples = [.. samples];
            if (tilt > 0) Audio.AudioAugmentation.Tilt(audioSamples, tilt * (2 * random.NextDouble() - 1));
            if (noiseDecibels is double floor) Audio.AudioAugmentation.AddNoise(audioSamples, floor + 30 * random.NextDouble(), random);
            result.Add(new DigitUtterance
            {
                Id = string.Join('+', chosen.Select(c => c.Name)),
                Audio = audioSamples,
                Transcript = string.Join(' ', chosen.Select(c => digitTokens ? c.Digit.ToString() : Words[c.Digit])),
            });
        }
        return result;
    }
}
