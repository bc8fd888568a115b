using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// The character CNN convolves a whole batch in one product; it must equal the plain per-word composition
/// (embedding, <see cref="Conv1d"/> with padding k/2, <see cref="MaxOverTime"/>), whose layers the conformance
/// suite checks against PyTorch, in values and in every gradient.
/// </summary>
[TestClass]
public sealed class CharacterCnnTests
{
    [TestMethod]
    [DataRow(3)]
    [DataRow(5)]
    public void BatchedConvolutionEqualsThePerWordLayers(int kernel)
    {
        const int Vocabulary = 11, E = 6, F = 7;
        var random = new Random(kernel);
        var cnn = new CharacterCnn(Vocabulary, E, F, kernel);
        cnn.Initialize(random);
        for (int i = 0; i < cnn.Bias.Size; i++) cnn.Bias.Value[i] = random.NextSingle() - 0.5f;
        // Words of 1 to 7 characters: shorter than, as long as and longer than the kernel.
        int[][] words = [.. Enumerable.Range(0, 9).Select(w => Enumerable.Range(0, 1 + w % 7).Select(_ => random.Next(Vocabulary)).ToArray())];
        int[] chars = [.. words.SelectMany(w => w)];
        int[] offsets = [0, .. words.Select(w => w.Length).Select((_, i) => words.Take(i + 1).Sum(x => x.Length))];
        float[] output = new float[words.Length * F], dOutput = [.. Enumerable.Range(0, output.Length).Select(_ => random.NextSingle() - 0.5f)];
        cnn.Forward(chars, offsets, output);
        cnn.Backward(dOutput);

        Parameter embedding = cnn.Parameters[0];
        var conv = new Conv1d(E, F, kernel, stride: 1, padding: kernel / 2);
        conv.Weight.Load(cnn.Weight.Value);
        conv.Bias.Load(cnn.Bias.Value);
        float[] dEmbedding = new float[embedding.Size];
        for (int w = 0; w < words.Length; w++)
        {
            int length = words[w].Length;
            float[] x = new float[E * length], y = new float[F * length], pooled = new float[F], dy = new float[F * length], dx = new float[E * length];
            for (int c = 0; c < E; c++)
                for (int l = 0; l < length; l++) x[c * length + l] = embedding.Value[words[w][l] * E + c];
            conv.Forward(x, length, y);
            var max = new MaxOverTime();
            max.Forward(y, length, pooled);
            for (int j = 0; j < F; j++) Assert.AreEqual(pooled[j], output[w * F + j], 1e-5f, $"word {w}, filter {j}");
            max.Backward(dOutput.AsSpan(w * F, F), length, dy);
            conv.Backward(x, length, dy, dx);
            for (int c = 0; c < E; c++)
                for (int l = 0; l < length; l++) dEmbedding[words[w][l] * E + c] += dx[c * length + l];
        }
        AssertClose(conv.Weight.Gradient, cnn.Weight.Gradient, "conv weight");
        AssertClose(conv.Bias.Gradient, cnn.Bias.Gradient, "conv bias");
        AssertClose(dEmbedding, embedding.Gradient, "character embedding");
    }

    [TestMethod]
    public void AWordWithoutCharactersIsRefused()
    {
        var cnn = new CharacterCnn(5, 4, 3);
        var error = Assert.ThrowsExactly<ArgumentException>(() => cnn.Forward([1, 2], [0, 2, 2], new float[6]));
        StringAssert.Contains(error.Message, "Word 1 has no characters");
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], 1e-5f, $"{what}[{i}]");
    }
}
