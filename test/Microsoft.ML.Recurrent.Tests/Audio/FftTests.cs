using Microsoft.ML.Recurrent.Audio;

namespace Microsoft.ML.Recurrent.Tests.Audio;

/// <summary>The power spectrum against the DFT written out, for the planned (power-of-two) sizes and the direct path.</summary>
[TestClass]
public sealed class FftTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(4)]      // below the planned sizes: the direct DFT
    [DataRow(8)]      // the smallest plan: the fused first stages alone
    [DataRow(16)]
    [DataRow(64)]
    [DataRow(256)]
    [DataRow(512)]
    [DataRow(4096)]   // past the stack buffers
    [DataRow(12)]     // not a power of two: the direct DFT
    [DataRow(200)]
    public void PowerSpectrumMatchesTheDefinition(int n)
    {
        var random = new Random(n);
        double[] frame = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5)];
        double[] power = new double[n / 2 + 1];
        Fft.PowerSpectrum(frame, power);
        double scale = frame.Sum(v => v * v) * n;   // Parseval: the bins' sum is of this order
        for (int k = 0; k <= n / 2; k++)
        {
            double re = 0, im = 0;
            for (int t = 0; t < n; t++)
            {
                double angle = -2 * Math.PI * k * t / n;
                re += frame[t] * Math.Cos(angle);
                im += frame[t] * Math.Sin(angle);
            }
            Assert.AreEqual(re * re + im * im, power[k], 1e-12 * scale, $"bin {k} of {n}");
        }
    }

    [TestMethod]
    public void ASinusoidLandsInItsBin()
    {
        const int n = 256, bin = 37;
        double[] frame = [.. Enumerable.Range(0, n).Select(t => Math.Cos(2 * Math.PI * bin * t / n + 0.3))];
        double[] power = new double[n / 2 + 1];
        Fft.PowerSpectrum(frame, power);
        Assert.AreEqual(n * n / 4.0, power[bin], 1e-6);
        Assert.IsLessThan(1e-12, power.Where((_, k) => k != bin).Max());
    }

    [TestMethod]
    public void ABadBufferIsRefused()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Fft.PowerSpectrum(new double[256], new double[128]));
        StringAssert.Contains(e.Message, "n/2+1 = 129");
        Assert.ThrowsExactly<ArgumentException>(() => Fft.PowerSpectrum([], new double[1]));
    }
}
