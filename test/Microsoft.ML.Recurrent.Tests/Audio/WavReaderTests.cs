using System.Buffers.Binary;
using Microsoft.ML.Recurrent.Audio;

namespace Microsoft.ML.Recurrent.Tests.Audio;

/// <summary>WAV decoding of every supported sample format, clear errors for the rest, and band-limited resampling.</summary>
[TestClass]
public sealed class WavReaderTests
{
    /// <summary>A WAV file of the given format whose frames are written by <paramref name="write"/> (channel-interleaved).</summary>
    private static byte[] Wav(int format, int channels, int rate, int bits, int frames, Action<BinaryWriter, int, int> write, bool extensible = false, bool junk = false)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8); w.Write(0); w.Write("WAVE"u8);
        if (junk) { w.Write("LIST"u8); w.Write(3); w.Write(new byte[] { 1, 2, 3, 0 }); }   // odd size: a pad byte follows
        w.Write("fmt "u8); w.Write(extensible ? 40 : 16);
        w.Write((short)(extensible ? 0xFFFE : format)); w.Write((short)channels); w.Write(rate); w.Write(rate * channels * bits / 8);
        w.Write((short)(channels * bits / 8)); w.Write((short)bits);
        if (extensible) { w.Write((short)22); w.Write((short)bits); w.Write(0); w.Write((short)format); w.Write(new byte[14]); }
        w.Write("data"u8); w.Write(frames * channels * bits / 8);
        for (int f = 0; f < frames; f++) for (int c = 0; c < channels; c++) write(w, f, c);
        w.Flush();
        byte[] bytes = stream.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        return bytes;
    }

    [TestMethod]
    public void EverySupportedFormatDecodesToTheSameMonoSamples()
    {
        // A ramp -0.5, -0.25, 0, 0.25 in every format.
        double[] ramp = [-0.5, -0.25, 0, 0.25];
        void Check(byte[] file, int channels, int bits, string what)
        {
            WavAudio audio = WavReader.Read(file, what);
            Assert.AreEqual((8000, channels, bits), (audio.SampleRate, audio.Channels, audio.BitsPerSample), what);
            Assert.HasCount(4, audio.Samples, what);
            for (int i = 0; i < 4; i++) Assert.AreEqual(ramp[i], audio.Samples[i], 1e-2, $"{what}[{i}]");
        }
        Check(Wav(1, 1, 8000, 16, 4, (w, f, _) => w.Write((short)(ramp[f] * 32768))), 1, 16, "pcm16");
        Check(Wav(1, 1, 8000, 8, 4, (w, f, _) => w.Write((byte)(128 + ramp[f] * 128))), 1, 8, "pcm8");
        Check(Wav(1, 1, 8000, 24, 4, (w, f, _) => { int v = (int)(ramp[f] * 8388608); w.Write((byte)v); w.Write((byte)(v >> 8)); w.Write((byte)(v >> 16)); }), 1, 24, "pcm24");
        Check(Wav(1, 1, 8000, 32, 4, (w, f, _) => w.Write((int)(ramp[f] * 2147483648.0))), 1, 32, "pcm32");
        Check(Wav(3, 1, 8000, 32, 4, (w, f, _) => w.Write((float)ramp[f])), 1, 32, "float32");
        Check(Wav(3, 1, 8000, 64, 4, (w, f, _) => w.Write(ramp[f])), 1, 64, "float64");
        Check(Wav(1, 1, 8000, 16, 4, (w, f, _) => w.Write((short)(ramp[f] * 32768)), extensible: true, junk: true), 1, 16, "extensible pcm16 after an odd chunk");
        // Stereo: channels averaged (left twice the ramp, right silent).
        Check(Wav(1, 2, 8000, 16, 4, (w, f, c) => w.Write((short)(c == 0 ? Math.Clamp(2 * ramp[f] * 32768, -32768, 32767) : 0))), 2, 16, "stereo");
    }

    [TestMethod]
    public void WhatCannotBeReadIsNamedWithTheFile()
    {
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => WavReader.Read("not a wav file"u8.ToArray(), "a.txt")).Message, "'a.txt': it is not a RIFF WAVE file");
        byte[] adpcm = Wav(2, 1, 8000, 4, 0, (_, _, _) => { });
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => WavReader.Read(adpcm, "x.wav")).Message, "ADPCM (2) with 4-bit samples");
        byte[] noData = Wav(1, 1, 8000, 16, 0, (_, _, _) => { })[..36];
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => WavReader.Read(noData, "y.wav")).Message, "no data chunk");
    }

    [TestMethod]
    public void AFreeSpokenDigitRecordingReads()
    {
        string path = Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "data", "fsdd", "recordings", "0_george_0.wav");
        if (!File.Exists(path)) Assert.Inconclusive($"{path} is not here.");
        WavAudio audio = WavReader.Read(path);
        Assert.AreEqual((8000, 1, 16), (audio.SampleRate, audio.Channels, audio.BitsPerSample));
        Assert.AreEqual((new FileInfo(path).Length - 44) / 2, audio.Samples.Length);
        Assert.IsTrue(audio.Samples.All(s => s is >= -1 and <= 1) && audio.Samples.Any(s => Math.Abs(s) > 0.05), "speech within [-1, 1]");
    }

    [TestMethod]
    [DataRow(16000, 8000)]
    [DataRow(8000, 16000)]
    [DataRow(44100, 16000)]
    public void ResamplingKeepsABandLimitedSine(int from, int to)
    {
        const double Frequency = 440;
        float[] input = [.. Enumerable.Range(0, from / 10).Select(i => (float)Math.Sin(2 * Math.PI * Frequency * i / from))];
        float[] output = Resampler.Resample(input, from, to);
        Assert.AreEqual((int)Math.Ceiling(input.Length * (double)to / from), output.Length);
        // Away from the edges (where the kernel meets the zero padding) the resampled wave is the sine at the new rate.
        for (int i = output.Length / 10; i < output.Length * 9 / 10; i++)
            Assert.AreEqual(Math.Sin(2 * Math.PI * Frequency * i / to), output[i], 5e-3, $"sample {i} at {to} Hz");
        CollectionAssert.AreEqual(input, Resampler.Resample(input, from, from), "equal rates copy");
    }
}
