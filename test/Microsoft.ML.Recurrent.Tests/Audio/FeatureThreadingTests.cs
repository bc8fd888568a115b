using Microsoft.ML.Recurrent.Audio;
using Microsoft.ML.Recurrent.Tests.Engine;

namespace Microsoft.ML.Recurrent.Tests.Audio;

/// <summary>An utterance's frames split over two threads give the features of one thread bit for bit.</summary>
[TestClass]
[DoNotParallelize]
public sealed class FeatureThreadingTests
{
    private static readonly float[] Audio = [.. Enumerable.Range(0, 16000).Select(i => (float)(0.3 * Math.Sin(0.031 * i) + 0.1 * Math.Sin(0.27 * i + 1) + 0.01 * ((i * 7919 % 101) / 50.0 - 1)))];

    [TestMethod]
    public void MelSpectrogramAndMfcc()
    {
        var mel = new MelSpectrogram(new MelSpectrogram.Options { SampleRate = 16000, TopDecibels = 60 });
        CollectionAssert.AreEqual(OnThreads.Run(1, () => mel.Compute(Audio)), OnThreads.Run(2, () => mel.Compute(Audio)));
        CollectionAssert.AreEqual(OnThreads.Run(1, () => mel.ComputeMfcc(Audio)), OnThreads.Run(2, () => mel.ComputeMfcc(Audio)));
    }

    [TestMethod]
    public void KaldiFbankAndMfcc()
    {
        float[] raw = [.. Audio.Select(v => v * 32768f)];
        var kaldi = new KaldiFeatures(new KaldiFeatures.Options { SampleRate = 16000 });
        CollectionAssert.AreEqual(OnThreads.Run(1, () => kaldi.Fbank(raw)), OnThreads.Run(2, () => kaldi.Fbank(raw)));
        CollectionAssert.AreEqual(OnThreads.Run(1, () => kaldi.Mfcc(raw)), OnThreads.Run(2, () => kaldi.Mfcc(raw)));
    }
}
