using Microsoft.ML.Recurrent.Audio;
using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Tests.Audio;

/// <summary>SpecAugment masks, tempo and speed perturbation, spectral tilt, noise and the CTC spike times.</summary>
[TestClass]
public sealed class AudioAugmentationTests
{
    [TestMethod]
    public void SpecAugmentMasksWholeBandsAndRuns()
    {
        const int T = 50, F = 20;
        float[] features = Enumerable.Repeat(1f, T * F).ToArray();
        AudioAugmentation.SpecAugment(features, F, timeMasks: 0, maxTimeWidth: 10, frequencyMasks: 0, maxFrequencyWidth: 5, new Random(1));
        Assert.IsTrue(features.All(v => v == 1f), "no masks, no change");
        AudioAugmentation.SpecAugment(features, F, timeMasks: 2, maxTimeWidth: 10, frequencyMasks: 2, maxFrequencyWidth: 5, new Random(3));
        // A masked feature is masked in every frame; a masked frame in every feature.
        int[] maskedFeatures = [.. Enumerable.Range(0, F).Where(f => Enumerable.Range(0, T).All(t => features[t * F + f] == 0))];
        int[] maskedFrames = [.. Enumerable.Range(0, T).Where(t => Enumerable.Range(0, F).All(f => features[t * F + f] == 0))];
        Assert.IsTrue(maskedFeatures.Length is > 0 and <= 10, $"{maskedFeatures.Length} features masked");
        Assert.IsTrue(maskedFrames.Length is > 0 and <= 20, $"{maskedFrames.Length} frames masked");
        for (int t = 0; t < T; t++)
            for (int f = 0; f < F; f++)
                if (features[t * F + f] == 0) Assert.IsTrue(maskedFeatures.Contains(f) || maskedFrames.Contains(t), $"a lone zero at [{t}, {f}]");
    }

    [TestMethod]
    public void TimeStretchResamplesFramesLinearlyAndKeepsTheirSpectra()
    {
        const int T = 41, F = 3;
        // Feature f of frame t is f * 100 + t: linear in time, so linear interpolation reproduces it exactly.
        float[] features = [.. Enumerable.Range(0, T * F).Select(i => (i % F) * 100f + i / F)];
        CollectionAssert.AreEqual(features, AudioAugmentation.TimeStretch(features, F, 1.0), "tempo 1 changes nothing");
        float[] faster = AudioAugmentation.TimeStretch(features, F, 1.25), slower = AudioAugmentation.TimeStretch(features, F, 0.8);
        Assert.HasCount(33 * F, faster);
        Assert.HasCount(51 * F, slower);
        for (int j = 0; j < 33; j++)
            for (int f = 0; f < F; f++) Assert.AreEqual(f * 100 + j * 40 / 32.0, faster[j * F + f], 1e-4, $"faster frame {j}, feature {f}");
        for (int j = 0; j < 51; j++)
            for (int f = 0; f < F; f++) Assert.AreEqual(f * 100 + j * 40 / 50.0, slower[j * F + f], 1e-4, $"slower frame {j}, feature {f}");
        CollectionAssert.AreEqual(new[] { 7f, 8f }, AudioAugmentation.TimeStretch([7f, 8f], 2, 2.0), "one frame stays one frame");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AudioAugmentation.TimeStretch(features, F, 0.4));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => AudioAugmentation.TimeStretch(features.AsSpan(1), F, 1.1)).Message, "whole frames of 3");
    }

    [TestMethod]
    public void CtcNeedsABlankBetweenEqualNeighbours()
    {
        Assert.AreEqual(0, CtcLoss.MinimumFrames([]));
        Assert.AreEqual(3, CtcLoss.MinimumFrames([1, 2, 1]));
        Assert.AreEqual(8, CtcLoss.MinimumFrames([1, 1, 2, 2, 2]));
        // The loss agrees: one frame fewer than the minimum is infeasible, the minimum is not.
        int[] target = [1, 1, 2];
        float[] logits(int frames) => new float[frames * 3];
        Assert.IsTrue(double.IsPositiveInfinity(CtcLoss.Compute(logits(3), 3, target, 0, zeroInfinity: false, [])));
        Assert.IsTrue(double.IsFinite(CtcLoss.Compute(logits(4), 3, target, 0, zeroInfinity: false, [])));
    }

    [TestMethod]
    public void SpeedPerturbationRaisesTheFrequencyAndShortensTheClip()
    {
        const int Rate = 8000;
        float[] tone = [.. Enumerable.Range(0, Rate).Select(i => (float)Math.Sin(2 * Math.PI * 200 * i / Rate))];
        float[] faster = AudioAugmentation.SpeedPerturb(tone, 1.25);
        Assert.AreEqual(6400, faster.Length);
        for (int i = 640; i < 5760; i++) Assert.AreEqual(Math.Sin(2 * Math.PI * 250 * i / Rate), faster[i], 5e-3, $"sample {i}: 200 Hz played 1.25 times faster is 250 Hz");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AudioAugmentation.SpeedPerturb(tone, 3));
    }

    [TestMethod]
    public void GreedyDecodingReportsTheFrameOfEachSpike()
    {
        // Frames: blank, a, a, blank, b, b, a  (classes 0 blank, 1 a, 2 b).
        int[] best = [0, 1, 1, 0, 2, 2, 1];
        float[] logProbs = [.. best.SelectMany(k => Enumerable.Range(0, 3).Select(c => c == k ? 0f : -5f))];
        CollectionAssert.AreEqual(new[] { (1, 1), (2, 4), (1, 6) }, CtcDecoder.GreedyWithTimes(logProbs, 3, 0).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 1 }, CtcDecoder.Greedy(logProbs, 3, 0));
    }

    [TestMethod]
    public void NoiseIsAddedAtTheRequestedSignalToNoiseRatio()
    {
        float[] tone = [.. Enumerable.Range(0, 16000).Select(i => 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / 8000f))];
        foreach (double snr in new[] { 0.0, 10.0, 30.0 })
        {
            float[] noisy = (float[])tone.Clone();
            AudioAugmentation.AddNoise(noisy, snr, new Random(5));
            double signal = tone.Sum(v => (double)v * v), noise = noisy.Select((v, i) => (double)(v - tone[i]) * (v - tone[i])).Sum();
            Assert.AreEqual(snr, 10 * Math.Log10(signal / noise), 0.1, $"SNR {snr} dB");
        }
        float[] silence = new float[100];
        AudioAugmentation.AddNoise(silence, 10, new Random(1));
        Assert.IsTrue(silence.All(v => v == 0), "silence stays silent");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AudioAugmentation.AddNoise(tone, double.NaN, new Random(1)));
    }

    [TestMethod]
    [DataRow(0.5)]
    [DataRow(-0.5)]
    public void TiltScalesEachFrequencyByTheFiltersGainAndKeepsThePower(double a)
    {
        // 250 Hz and 3,500 Hz at 8 kHz, one second: whole cycles of both, so their DFT projections are exact amplitudes.
        const int rate = 8000;
        float[] x = [.. Enumerable.Range(0, rate).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * 250 * i / rate) + 0.3 * Math.Sin(2 * Math.PI * 3500 * i / rate)))];
        float[] y = (float[])x.Clone();
        AudioAugmentation.Tilt(y, a);
        static double Amplitude(float[] s, double f) =>
            2 * Math.Sqrt(Math.Pow(s.Select((v, i) => v * Math.Cos(2 * Math.PI * f * i / rate)).Sum(), 2) + Math.Pow(s.Select((v, i) => v * Math.Sin(2 * Math.PI * f * i / rate)).Sum(), 2)) / s.Length;
        static double Gain(double a, double f) => Math.Sqrt(1 - 2 * a * Math.Cos(2 * Math.PI * f / rate) + a * a);
        // |H(f)| = |1 - a e^(-i w)|: the ratio of the two tones moves by the ratio of the gains (the rescaling cancels in it).
        double ratio = Amplitude(y, 3500) / Amplitude(y, 250);
        Assert.AreEqual(Gain(a, 3500) / Gain(a, 250), ratio, 1e-3 * ratio);
        Assert.AreEqual(x.Sum(v => (double)v * v), y.Sum(v => (double)v * v), 1e-3, "the power is kept");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AudioAugmentation.Tilt(y, 1));
    }
}
