using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Tests.Speech;

namespace Microsoft.ML.Recurrent.Tests.Onnx;

/// <summary>An exported acoustic model runs in ONNX Runtime and gives the recognizer's per-frame log-probabilities and greedy path on a padded batch.</summary>
[TestClass]
public sealed class SpeechModelOnnxTests
{
    [TestMethod]
    [DataRow(true, DisplayName = "convolution and batch norm")]
    [DataRow(false, DisplayName = "recurrent layers only")]
    public void TheAcousticModelMatchesOnnxRuntime(bool frontEnd)
    {
        var ml = new MLContext(1);
        SpeechRecognitionOptions options = SpeechRecognitionTests.Options();
        options.NumberOfEpochs = 2;
        options.NumberOfLayers = 2;
        if (!frontEnd) { options.ConvolutionChannels = 0; options.BatchNorm = false; }
        var utterances = SpeechRecognitionTests.Utterances(40, 7);
        var model = ml.Transforms.SpeechRecognition(options).Fit(ml.Data.LoadFromEnumerable(utterances));
        using var stream = new MemoryStream();
        ml.Model.ConvertRecurrentToOnnx(model, stream);
        using var session = new InferenceSession(stream.ToArray());

        const int f = 8;
        var batch = utterances.Take(12).ToArray();
        int time = batch.Max(u => u.Features.Length / f);
        float[] padded = new float[batch.Length * time * f];
        Array.Fill(padded, 0.7f);   // padding the convolution must not see
        int[] lengths = [.. batch.Select(u => u.Features.Length / f)];
        for (int b = 0; b < batch.Length; b++) batch[b].Features.CopyTo(padded, b * time * f);
        using var results = session.Run([
            NamedOnnxValue.CreateFromTensor("frames", new DenseTensor<float>(padded, [batch.Length, time, f])),
            NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(lengths, [batch.Length, 1]))]);
        Tensor<float> logProbabilities = results.First(r => r.Name == "LogProbabilities").AsTensor<float>();
        long[] outputLengths = [.. results.First(r => r.Name == "OutputLengths").AsTensor<long>()];
        Tensor<long> path = results.First(r => r.Name == "BestPath").AsTensor<long>();
        int classes = model.Architecture.ClassCount;
        float worst = 0;
        for (int b = 0; b < batch.Length; b++)
        {
            ReadOnlySpan<float> logits = model.Network.Forward(SequenceLayout.FromSortedLengths([lengths[b]]), batch[b].Features);
            int frames = model.Network.OutputLayout.Lengths[0];
            Assert.AreEqual(frames, (int)outputLengths[b], $"utterance {b}'s output length");
            var greedy = new List<int>();
            for (int t = 0; t < frames; t++)
            {
                float[] row = logits.Slice(t * classes, classes).ToArray();
                float max = row.Max();
                double logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
                for (int c = 0; c < classes; c++) worst = Math.Max(worst, Math.Abs((float)(row[c] - logSum) - logProbabilities[b, t, c]));
                int best = (int)path[b, t];
                if (best != 0 && (greedy.Count == 0 || path[b, t - 1] != best)) greedy.Add(best);
            }
            CollectionAssert.AreEqual(model.Transcribe(batch[b].Features).Symbols.Select(s => s.Symbol).ToArray(), greedy.Select(c => model.Symbols[c + 1]).ToArray(), $"utterance {b}'s greedy transcript");
        }
        Assert.IsLessThanOrEqualTo(1e-5f, worst, "log-probabilities agree");
    }
}
