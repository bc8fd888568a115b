using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Generation;
using Microsoft.ML.Recurrent.Tests.Persistence;

namespace Microsoft.ML.Recurrent.Tests.Generation;

/// <summary>Truncated BPTT over streams, teacher forcing and scheduled sampling, and the model file.</summary>
[TestClass]
public sealed class LanguageModelTrainingTests
{
    private static LanguageModelNetwork Network(int vocabulary, int seed)
    {
        var network = new LanguageModelNetwork(new LanguageModelArchitecture(vocabulary) { EmbeddingSize = 5, HiddenSize = 7, NumLayers = 2 });
        network.Initialize(new Random(seed));
        return network;
    }

    [TestMethod]
    public void WindowsWithTheStateCarriedEqualOnePassOverEachStream()
    {
        var random = new Random(1);
        int[][] texts = [[.. Enumerable.Range(0, 37).Select(_ => random.Next(2, 9))], [.. Enumerable.Range(0, 21).Select(_ => random.Next(2, 9))]];
        var streams = new TextStreams(texts, streams: 3, window: 5);
        LanguageModelNetwork network = Network(9, 2);
        int v = 9;
        // Window by window, carrying the state.
        var logits = new List<float[]>();
        RecurrentState state = network.NewState(streams.Streams), next = network.NewState(streams.Streams);
        for (int k = 0; k < streams.Windows; k++)
        {
            SequenceLayout layout = streams.Layout(k);
            int[] inputs = new int[layout.TotalSteps], targets = new int[layout.TotalSteps];
            streams.Fill(k, inputs, targets);
            logits.Add(network.Forward(layout, inputs, initial: state, final: next).ToArray());
            (state, next) = (next, state);
        }
        // One pass over each whole stream: the symbols are the texts, each after an end-of-text marker, and one more marker.
        int[] all = [SymbolVocabulary.EndOfText, .. texts.SelectMany(t => t.Append(SymbolVocabulary.EndOfText))];
        int length = streams.StreamLength - 1;
        SequenceLayout whole = SequenceLayout.FromSortedLengths(Enumerable.Repeat(length, streams.Streams).ToArray());
        int[] ids = new int[whole.TotalSteps];
        for (int t = 0; t < length; t++)
            for (int b = 0; b < streams.Streams; b++) ids[whole.Row(t, b)] = all[b * streams.StreamLength + t];
        float[] reference = network.Forward(whole, ids).ToArray();
        for (int k = 0; k < streams.Windows; k++)
        {
            SequenceLayout layout = streams.Layout(k);
            for (int t = 0; t < layout.MaxLength; t++)
                for (int b = 0; b < streams.Streams; b++)
                    for (int c = 0; c < v; c++)
                        Assert.AreEqual(reference[whole.Row(k * streams.Window + t, b) * v + c], logits[k][layout.Row(t, b) * v + c], 1e-5f, $"window {k}, step {t}, stream {b}");
        }
    }

    [TestMethod]
    public void TeacherForcingFeedsTheTextAndFreeRunningFeedsTheModelsOwnSymbols()
    {
        int[] text = [2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 2, 3, 4];
        var streams = new TextStreams([text], streams: 1, window: 8);
        // A model certain of symbol 8 (a huge output bias): running free, it feeds 8 after the first input.
        LanguageModelNetwork network = Network(9, 3);
        network.Head.Bias.Value[8] = 1000f;
        IReadOnlyList<TextBatch> first = new StreamBatches(streams).Batches(1, null, 0).First();
        int[] Inputs(TeacherForcingDecay decay)
        {
            var training = new LanguageModelTraining(network, new TeacherForcingSchedule(decay, 1, 0f));
            training.TrainBatch(first, new Random(1));
            return training.LastInputs.ToArray();
        }
        CollectionAssert.AreEqual((int[])[SymbolVocabulary.EndOfText, .. text[..7]], Inputs(TeacherForcingDecay.None), "probability 1: the text itself (after the end-of-text marker)");
        // Linear decay over S = 1 step: probability 1 on the first window, 0 from the second on.
        var free = new LanguageModelTraining(network, new TeacherForcingSchedule(TeacherForcingDecay.Linear, 1, 0f));
        free.TrainBatch(first, new Random(1));
        free.TrainBatch(first, new Random(1));
        Assert.AreEqual(0.0, free.TeacherForcing, "p = max(0, 1 - 1/1) on the second step");
        CollectionAssert.AreEqual(new[] { SymbolVocabulary.EndOfText, 8, 8, 8, 8, 8, 8, 8 }, free.LastInputs.ToArray(), "probability 0: the first true symbol, then the model's own");
        CollectionAssert.AreEqual((int[])[SymbolVocabulary.EndOfText, .. text[..7]], first[0].Inputs, "the batch itself is left as it was");
    }

    [TestMethod]
    public void ShortTextsAreIndependentSequencesThatStartAfterTheEndOfTextSymbol()
    {
        int[][] texts = [[2, 3, 4], [5], []];
        TextBatch batch = new TextSequences(texts).Batches(8, null, 0).Single()[0];
        Assert.IsFalse(batch.Continues);
        CollectionAssert.AreEqual(new[] { 4, 2, 1 }, batch.Layout.Lengths.ToArray(), "each text plus its end, longest first");
        int[] Sequence(int[] packed, int b) => [.. Enumerable.Range(0, batch.Layout.Lengths[b]).Select(t => packed[batch.Layout.Row(t, b)])];
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4 }, Sequence(batch.Inputs, 0));
        CollectionAssert.AreEqual(new[] { 2, 3, 4, 1 }, Sequence(batch.Targets, 0));
        CollectionAssert.AreEqual(new[] { 1 }, Sequence(batch.Inputs, 2));
        CollectionAssert.AreEqual(new[] { 1 }, Sequence(batch.Targets, 2), "an empty text predicts its end");
    }

    [TestMethod]
    public void TheScheduleDecaysAsDocumented()
    {
        Assert.AreEqual(0.5, new TeacherForcingSchedule(TeacherForcingDecay.Linear, 100, 0f).Probability(50), 1e-12);
        Assert.AreEqual(0.2, new TeacherForcingSchedule(TeacherForcingDecay.Linear, 100, 0.2f).Probability(500), 1e-6);
        Assert.AreEqual(Math.Exp(-1), new TeacherForcingSchedule(TeacherForcingDecay.Exponential, 100, 0f).Probability(100), 1e-12);
        Assert.AreEqual(10 / (10 + Math.Exp(2)), new TeacherForcingSchedule(TeacherForcingDecay.InverseSigmoid, 10, 0f).Probability(20), 1e-12);
        Assert.AreEqual(1.0, new TeacherForcingSchedule(TeacherForcingDecay.None, 1, 0f).Probability(1_000_000));
    }

    [TestMethod]
    public void ALoadedModelGeneratesAndScoresExactlyAsTheOriginal()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new { Text = "to be or not to be, that is the question" } });
        LanguageModelTransformer model = ml.Transforms.Text.LanguageModel(new LanguageModelOptions
        {
            HiddenSize = 16, EmbeddingSize = 16, TieWeights = true, NumberOfLayers = 2, NumberOfEpochs = 3, SequenceLength = 8, BatchSize = 2,
        }, new GenerationOptions { Temperature = 0.7f, TopK = 5, Seed = 4, MaximumLength = 30 }).Fit(data);
        var loaded = (LanguageModelTransformer)((IEnumerable<ITransformer>)ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, model, data.Schema)), out _)).Single();
        Assert.AreEqual(model.Generation.TopK, loaded.Generation.TopK);
        var sampling = new GenerationOptions { Temperature = 1.2f, Seed = 11, MaximumLength = 50 };
        Assert.AreEqual(model.CreateGenerator().Generate("to be", sampling), loaded.CreateGenerator().Generate("to be", sampling));
        Assert.AreEqual(model.CreateGenerator().Perplexity("not to be"), loaded.CreateGenerator().Perplexity("not to be"));
        CollectionAssert.AreEqual(ModelFiles.Dump(model.Transform(data), "GeneratedText", "Perplexity"), ModelFiles.Dump(loaded.Transform(data), "GeneratedText", "Perplexity"));
    }
}
