using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Audio;
using Microsoft.ML.Recurrent.Tests.Persistence;

namespace Microsoft.ML.Recurrent.Tests.Audio;

/// <summary>The audio transforms in an ML.NET pipeline: WAV files to samples to features, with shapes, engine equality, save/load and errors.</summary>
[TestClass]
public sealed class AudioPipelineTests
{
    private sealed class Clip
    {
        public string Path { get; set; } = "";
    }

    /// <summary>A 16-bit mono WAV file of a 300 Hz tone at <paramref name="rate"/> Hz, <paramref name="samples"/> long.</summary>
    private static string ToneFile(int rate, int samples)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tone-{rate}-{samples}-{Environment.ProcessId}.wav");
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + 2 * samples); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(2 * rate); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(2 * samples);
        for (int i = 0; i < samples; i++) w.Write((short)(10000 * Math.Sin(2 * Math.PI * 300 * i / rate)));
        return path;
    }

    [TestMethod]
    [DataRow(AudioFeatureKind.LogMel)]
    [DataRow(AudioFeatureKind.Mfcc)]
    [DataRow(AudioFeatureKind.KaldiFbank)]
    [DataRow(AudioFeatureKind.KaldiMfcc)]
    public void FilesBecomeFramesOfFeaturesThatSurviveSaveAndLoad(AudioFeatureKind kind)
    {
        var ml = new MLContext(1);
        string a = ToneFile(16000, 8000), b = ToneFile(8000, 3000);
        try
        {
            IDataView clips = ml.Data.LoadFromEnumerable(new[] { new Clip { Path = a }, new Clip { Path = b } });
            var options = new AudioFeatureOptions { SampleRate = 8000, Kind = kind, MelCount = 23 };
            ITransformer model = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 8000).Append(ml.Transforms.AudioFeatures(options)).Fit(clips);
            IDataView featured = model.Transform(clips);
            var column = featured.Schema["Features"];
            Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 0, options.FeatureSize), column.Type);
            float[][] audio = [.. featured.GetColumn<float[]>("Audio")], features = [.. featured.GetColumn<float[]>("Features")];
            Assert.HasCount(4000, audio[0], "16 kHz resampled to 8 kHz");
            Assert.HasCount(3000, audio[1]);
            float[] direct = options.Featurizer()(audio[1]);
            CollectionAssert.AreEqual(direct, features[1], "the transform gives the engine's features");
            Assert.AreEqual(0, features[1].Length % options.FeatureSize);
            Assert.IsTrue(features.All(f => f.All(float.IsFinite)));
            ITransformer loaded = ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, model, clips.Schema)), out _);
            CollectionAssert.AreEqual(ModelFiles.Dump(featured, "Audio", "Features"), ModelFiles.Dump(loaded.Transform(clips), "Audio", "Features"));
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }

    [TestMethod]
    public void AMissingFileAndAWrongColumnAreNamed()
    {
        var ml = new MLContext(1);
        IDataView clips = ml.Data.LoadFromEnumerable(new[] { new Clip { Path = "no-such-clip.wav" } });
        IDataView loaded = ml.Transforms.LoadAudio().Fit(clips).Transform(clips);
        StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => loaded.GetColumn<float[]>("Audio").ToList()).Message, "Row 0 of the path column 'Path' names 'no-such-clip.wav'");
        IDataView numbers = ml.Data.LoadFromEnumerable(new[] { new { Path = 1f } });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.LoadAudio().Fit(numbers)).Message, "file paths");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.AudioFeatures(new AudioFeatureOptions { Kind = AudioFeatureKind.Mfcc, MelCount = 10, Coefficients = 13 })).Message, "more coefficients");
    }
}
