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
    public void DeltasFollowTorchaudiosFormulaAndNormalizationCentresTheFeatures()
    {
        // One feature over 4 frames: 0, 1, 4, 9. d_t = (x_{t+1} - x_{t-1} + 2 (x_{t+2} - x_{t-2})) / 10 with edges replicated.
        float[] x = [0, 1, 4, 9];
        float[] withDeltas = FeatureDeltas.Append(x, 1, 1);
        float[] expected = [0, (1 - 0 + 2 * (4 - 0)) / 10f, 1, (4 - 0 + 2 * (9 - 0)) / 10f, 4, (9 - 1 + 2 * (9 - 0)) / 10f, 9, (9 - 4 + 2 * (9 - 1)) / 10f];
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], withDeltas[i], 1e-6f, $"[{i}]");
        Assert.HasCount(12, FeatureDeltas.Append(x, 1, 2));
        float[] y = [1, 10, 3, 30, 5, 50];
        FeatureDeltas.Normalize(y, 2);
        for (int f = 0; f < 2; f++)
        {
            double[] column = [y[f], y[2 + f], y[4 + f]];
            Assert.AreEqual(0, column.Average(), 1e-6);
            Assert.AreEqual(1, column.Select(v => v * v).Average(), 1e-4);
        }
    }

    [TestMethod]
    public void GlobalStatisticsAreLearnedInFitAndSaved()
    {
        var ml = new MLContext(1);
        string a = ToneFile(8000, 4000), b = ToneFile(8000, 2500);
        try
        {
            IDataView clips = ml.Data.LoadFromEnumerable(new[] { new Clip { Path = a }, new Clip { Path = b } });
            var options = new AudioFeatureOptions { SampleRate = 8000, Kind = AudioFeatureKind.Mfcc, MelCount = 20, DeltaOrder = 2, Normalization = AudioNormalization.Global };
            ITransformer model = ml.Transforms.LoadAudio(sampleRate: 8000).Append(ml.Transforms.AudioFeatures(options)).Fit(clips);
            IDataView featured = model.Transform(clips);
            Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 0, 39), featured.Schema["Features"].Type);
            // Over all frames of the training data, each feature now has mean 0 and variance 1.
            float[][] rows = [.. featured.GetColumn<float[]>("Features")];
            (double[] mean, double[] variance) = FeatureDeltas.Statistics(rows, 39);
            for (int f = 0; f < 39; f++)
            {
                Assert.AreEqual(0, mean[f], 1e-4, $"mean of feature {f}");
                if (variance[f] > 1e-6) Assert.AreEqual(1, variance[f], 1e-3, $"variance of feature {f}");
            }
            ITransformer loaded = ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, model, clips.Schema)), out _);
            CollectionAssert.AreEqual(ModelFiles.Dump(featured, "Features"), ModelFiles.Dump(loaded.Transform(clips), "Features"));
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
