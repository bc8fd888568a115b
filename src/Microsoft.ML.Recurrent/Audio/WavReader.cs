using System.Buffers.Binary;

namespace Microsoft.ML.Recurrent.Audio;

/// <summary>A decoded WAV file: mono samples in [-1, 1] and their rate.</summary>
/// <param name="Samples">The samples (channels averaged into one).</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Channels">Channels the file had.</param>
/// <param name="BitsPerSample">The file's sample width.</param>
public sealed record WavAudio(float[] Samples, int SampleRate, int Channels, int BitsPerSample);

/// <summary>
/// Reads RIFF WAV files: PCM 8 (unsigned), 16, 24 and 32-bit and IEEE float 32/64-bit, also in the extensible
/// format, any number of channels (averaged into mono). Unknown chunks are skipped. Anything else is an
/// <see cref="InvalidDataException"/> that names the file and what was found.
/// </summary>
public static class WavReader
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static WavAudio Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes <paramref name="bytes"/>; <paramref name="source"/> names them in errors.</summary>
    public static WavAudio Read(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw Bad(source, "it is not a RIFF WAVE file (no RIFF/WAVE header)");
        int format = -1, channels = 0, rate = 0, bits = 0, blockAlign = 0;
        ReadOnlySpan<byte> data = default;
        bool haveData = false;
        for (int at = 12; at + 8 <= bytes.Length;)
        {
            ReadOnlySpan<byte> id = bytes.Slice(at, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(at + 4, 4));
            int body = at + 8;
            if (body + size > bytes.Length)
            {
                if (!id.SequenceEqual("data"u8)) throw Bad(source, $"its '{System.Text.Encoding.ASCII.GetString(id)}' chunk at byte {at} claims {size} bytes but the file ends after {bytes.Length - body}");
                size = bytes.Length - body;   // a data chunk cut short by a writer that never patched its size: keep what is there
            }
            ReadOnlySpan<byte> chunk = bytes.Slice(body, (int)size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16) throw Bad(source, $"its fmt chunk holds {size} bytes, fewer than 16");
                format = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(chunk[4..]);
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
                // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
                if (format == 0xFFFE && size >= 26) format = BinaryPrimitives.ReadUInt16LittleEndian(chunk[24..]);
            }
            else if (id.SequenceEqual("data"u8)) { data = chunk; haveData = true; }
            at = body + (int)size + (int)(size & 1);
        }
        if (format < 0) throw Bad(source, "it has no fmt chunk");
        if (!haveData) throw Bad(source, "it has no data chunk");
        if (channels < 1) throw Bad(source, $"it declares {channels} channels");
        if (rate < 1) throw Bad(source, $"it declares a sample rate of {rate} Hz");
        bool pcm = format == 1 && bits is 8 or 16 or 24 or 32, ieee = format == 3 && bits is 32 or 64;
        if (!pcm && !ieee)
            throw Bad(source, $"its format is {FormatName(format)} with {bits}-bit samples; supported are PCM 8/16/24/32-bit and IEEE float 32/64-bit");
        int width = bits / 8;
        if (blockAlign != width * channels) throw Bad(source, $"its block size is {blockAlign} bytes, not {channels} channels x {width} bytes");
        int frames = data.Length / blockAlign;
        float[] samples = new float[frames];
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++) sum += Sample(data.Slice(f * blockAlign + c * width, width), bits, ieee);
            samples[f] = (float)(sum / channels);
        }
        return new WavAudio(samples, rate, channels, bits);
    }

    private static double Sample(ReadOnlySpan<byte> b, int bits, bool ieee) => (bits, ieee) switch
    {
        (32, true) => BinaryPrimitives.ReadSingleLittleEndian(b),
        (64, true) => BinaryPrimitives.ReadDoubleLittleEndian(b),
        (8, _) => (b[0] - 128) / 128.0,
        (16, _) => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768.0,
        (24, _) => ((b[0] | (b[1] << 8) | ((sbyte)b[2] << 16))) / 8388608.0,
        _ => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648.0,
    };

    private static string FormatName(int format) => format switch
    {
        1 => "PCM",
        2 => "ADPCM (2)",
        3 => "IEEE float",
        6 => "A-law (6)",
        7 => "mu-law (7)",
        0x55 => "MP3 (0x55)",
        _ => $"format {format}",
    };

    private static InvalidDataException Bad(string source, string problem) => new($"Cannot read the WAV file '{source}': {problem}.");
}
