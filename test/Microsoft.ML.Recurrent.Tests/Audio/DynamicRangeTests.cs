using Microsoft.ML.Recurrent.Audio;
using Microsoft.ML.Recurrent.Tests.Persistence;

namespace Microsoft.ML.Recurrent.Tests.Audio;

/// <summary>The featurizer's TopDecibels: log mel power held within a dynamic range of the utterance's loudest value.</summary>
[TestClass]
public sealed class DynamicRangeTests
{
    private sealed class Utterance
    {
        public float[] Audio { get; set; } = [];
    }

    [TestMethod]
    public void ValuesMoreThanTheRangeBelowTheLoudestAreRaisedToTheFloor()
    {
        // 40 dB of power is a factor 1e4: the floor is ln(1e-4) below ln(1) = 0.
        double[] logPower = [Math.Log(1), Math.Log(1e-2), Math.Log(1e-5), Math.Log(1e-9), Math.Log(3e-4)];
        MelSpectrogram.RaiseFloor<double>(logPower, 40);
        double[] expected = [0, Math.Log(1e-2), Math.Log(1e-4), Math.Log(1e-4), Math.Log(3e-4)];
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], logPower[i], 1e-12, $"[{i}]");
    }

    /// <summary>A 300 Hz tone of 0.3 s in the middle of 1 s at 8 kHz, with silence around it: digital zeros, or faint noise.</summary>
    private static float[] ToneInSilence(double noise)
    {
        var random = new Random(1);
        float[] x = new float[8000];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)((i is >= 3000 and < 5400 ? 0.3 * Math.Sin(2 * Math.PI * 300 * i / 8000.0) : 0) + noise * (2 * random.NextDouble() - 1));
        return x;
    }

    [TestMethod]
    [DataRow(AudioFeatureKind.LogMel)]
    [DataRow(AudioFeatureKind.Mfcc)]
    public void SilenceWithAndWithoutAFaintNoiseFloorGivesTheSameFeatures(AudioFeatureKind kind)
    {
        float[] clean = ToneInSilence(0), noisy = ToneInSilence(1e-4);   // the noise 70 dB below the tone
        static double Difference(AudioFeatureOptions o, float[] a, float[] b) => o.Featurizer()(a).Zip(o.Featurizer()(b), (x, y) => Math.Abs(x - y)).Max();
        var options = new AudioFeatureOptions { SampleRate = 8000, Kind = kind, MelCount = 23 };
        Assert.IsGreaterThan(1.0, Difference(options, clean, noisy), "without a floor the silences differ");
        options.TopDecibels = 40;
        // Values just above the floor (the tone's edges) still carry the faint noise's power: under 2% there.
        Assert.IsLessThan(0.02, Difference(options, clean, noisy), "with a 40 dB range both silences sit on the floor");
        float[] floored = options.Featurizer()(clean);
        options.TopDecibels = 0;
        Assert.IsGreaterThan(1.0, floored.Zip(options.Featurizer()(clean), (x, y) => Math.Abs(x - y)).Max(), "the floor changes the clean silence");
    }

    [TestMethod]
    public void TheRangeIsSavedAndABadOneIsRefused()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new Utterance { Audio = ToneInSilence(0) } });
        var options = new AudioFeatureOptions { SampleRate = 8000, Kind = AudioFeatureKind.Mfcc, MelCount = 23, TopDecibels = 45.3f };   // not a whole number: the file must give back the same float
        AudioFeaturizingTransformer model = ml.Transforms.AudioFeatures(options).Fit(data);
        ITransformer loaded = ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, model, data.Schema)), out _);
        Assert.AreEqual(45.3f, ((IEnumerable<ITransformer>)loaded).OfType<AudioFeaturizingTransformer>().Single().Options.TopDecibels);
        CollectionAssert.AreEqual(ModelFiles.Dump(model.Transform(data), "Features"), ModelFiles.Dump(loaded.Transform(data), "Features"));

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.AudioFeatures(new AudioFeatureOptions { TopDecibels = -3 })).Message, "positive");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.AudioFeatures(new AudioFeatureOptions { TopDecibels = float.NaN })).Message, "positive");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AudioFeatures(new AudioFeatureOptions { Kind = AudioFeatureKind.KaldiFbank, TopDecibels = 40 })).Message,
            "LogMel and Mfcc kinds, not KaldiFbank");
    }
}
