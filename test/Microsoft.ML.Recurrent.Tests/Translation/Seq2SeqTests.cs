using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Engine.Models;

namespace Microsoft.ML.Recurrent.Tests.Translation;

/// <summary>The seq2seq model inside ML.NET: it learns a task exactly, decodes greedily and by beam, round-trips through the model file and refuses bad input with its place.</summary>
[TestClass]
public sealed class Seq2SeqTests
{
    private sealed class Pair
    {
        public string Source { get; set; } = "";
        public string Target { get; set; } = "";
    }

    private static IDataView Pairs(MLContext ml, IEnumerable<(string Source, string Target)> pairs) =>
        ml.Data.LoadFromEnumerable(pairs.Select(p => new Pair { Source = p.Source, Target = p.Target }));

    private static IEnumerable<string> Words(int seed, int count)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++) yield return new string([.. Enumerable.Range(0, random.Next(2, 7)).Select(_ => (char)('a' + random.Next(6)))]);
    }

    private static string Reverse(string s) => new([.. s.Reverse()]);

    private static readonly Lazy<(MLContext Ml, Seq2SeqTransformer Model)> Reverser = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var options = new Seq2SeqOptions
        {
            EmbeddingSize = 16, EncoderHiddenSize = 32, DecoderHiddenSize = 32, AttentionSize = 32, Dropout = 0f, BatchSize = 32,
            NumberOfEpochs = 30, LearningRate = 0.01f, Seed = 2, Decoding = new Seq2SeqDecodingOptions { BeamWidth = 3 },
        };
        return (ml, ml.Transforms.Text.SequenceToSequence(options).Fit(Pairs(ml, Words(1, 600).Select(w => (w, Reverse(w))))));
    });

    [TestMethod]
    public void ATinyModelLearnsToReverseUnseenSequencesExactly()
    {
        (MLContext ml, Seq2SeqTransformer model) = Reverser.Value;
        string[] unseen = [.. Words(99, 200).Distinct().Except(Words(1, 600)).Take(60)];
        TranslationMetrics metrics = model.Evaluate(Pairs(ml, unseen.Select(w => (w, Reverse(w)))), out var outputs);
        Assert.AreEqual(1.0, metrics.ExactMatch, metrics.ToString() + " " + string.Join(", ", outputs.Where(o => o.Output != Reverse(o.Source)).Take(5)));
        Assert.AreEqual(0.0, metrics.TokenErrorRate);
        Assert.IsLessThan(0.1 * model.TrainingHistory[0].TrainingLoss, model.TrainingHistory[^1].TrainingLoss, "the loss fell tenfold");
    }

    [TestMethod]
    public void BeamOfWidthOneIsGreedyAndAWiderBeamScoresAtLeastAsWell()
    {
        // An untrained network: flat, uncertain distributions, where looking ahead pays.
        var network = new Seq2SeqNetwork(new Seq2SeqArchitecture(8, 8) { EmbeddingSize = 8, EncoderHiddenSize = 16, DecoderHiddenSize = 16, AttentionSize = 16 });
        var random = new Random(4);
        network.Initialize(random);
        // Sources the model has not seen, some of them off its training distribution (longer, repeated symbols).
        int[][] sources = [.. Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, random.Next(1, 11)).Select(_ => 2 + random.Next(6)).ToArray())];
        Seq2SeqHypothesis[] greedy = Seq2SeqSearch.Greedy(network, sources, 12), one = Seq2SeqSearch.Beam(network, sources, 1, 12);
        Seq2SeqHypothesis[] wide = Seq2SeqSearch.Beam(network, sources, 4, 12, lengthNormalization: 0f);
        for (int i = 0; i < sources.Length; i++)
        {
            CollectionAssert.AreEqual(greedy[i].Symbols, one[i].Symbols, $"source {i}");
            Assert.AreEqual(greedy[i].LogProbability, one[i].LogProbability, 1e-4, $"source {i}");
        }
        // A beam is not bound to contain the greedy path, but over many sources it finds more probable outputs.
        Assert.IsGreaterThan(greedy.Average(h => h.LogProbability), wide.Average(h => h.LogProbability));
        Assert.IsTrue(Enumerable.Range(0, sources.Length).Any(i => wide[i].LogProbability > greedy[i].LogProbability + 1e-3), "the beam finds a better output somewhere");
    }

    [TestMethod]
    public void TransformAppendsTheOutputItsSymbolsAndAttentionAndALoadedModelDecodesTheSame()
    {
        (MLContext ml, Seq2SeqTransformer trained) = Reverser.Value;
        Seq2SeqTransformer model = trained.WithDecoding(new Seq2SeqDecodingOptions { BeamWidth = 3, OutputAttention = true });
        IDataView data = Pairs(ml, [("abcd", ""), ("fed", "")]);
        IDataView scored = model.Transform(data);
        CollectionAssert.AreEqual(new[] { "dcba", "def" }, scored.GetColumn<string>("PredictedText").ToArray());
        uint[][] keys = [.. scored.GetColumn<uint[]>("PredictedSymbols")];
        CollectionAssert.AreEqual(new[] { "d", "c", "b", "a" }, keys[0].Select(k => model.TargetSymbols[(int)k - 3]).ToArray(), $"keys index the target symbols after <unk> and </s>: {string.Join(",", keys[0])} over {string.Join(",", model.TargetSymbols)}");
        float[][] attention = [.. scored.GetColumn<float[]>("AttentionWeights")];
        Assert.HasCount((4 + 1) * 4, attention[0], "one row of 4 source weights per output symbol and the end");
        for (int row = 0; row < 5; row++) Assert.AreEqual(1.0, attention[0].Skip(row * 4).Take(4).Sum(), 1e-5);
        (_, _, float[][] map) = model.TranslateWithAttention("abcd");
        Assert.AreEqual(3, Array.IndexOf(map[0], map[0].Max()), "the first output symbol looks at the last source symbol");

        string path = Path.Combine(Path.GetTempPath(), $"seq2seq-{Guid.NewGuid():N}.mlrnn");
        try
        {
            ml.Model.SaveRecurrentModel(model, data.Schema, path);
            var loaded = ((IEnumerable<ITransformer>)new MLContext(3).Model.LoadRecurrentModel(path, out _)).OfType<Seq2SeqTransformer>().Single();
            string[] sources = [.. Words(7, 30)];
            CollectionAssert.AreEqual(model.Translate(sources).ToArray(), loaded.Translate(sources).ToArray());
            CollectionAssert.AreEqual(model.Network.Parameters.SelectMany(p => p.Value).ToArray(), loaded.Network.Parameters.SelectMany(p => p.Value).ToArray(), "bit-identical weights");
            Assert.AreEqual(model.MaximumTargetLength, loaded.MaximumTargetLength);
            Assert.IsTrue(loaded.Decoding.OutputAttention);
        }
        finally { File.Delete(path); }
    }

    private sealed class TokenPair
    {
        public string[] SourceTokens { get; set; } = [];
        public string[] TargetTokens { get; set; } = [];
    }

    [TestMethod]
    public void KeyVectorColumnsFromMapValueToKeyTrainAndPredictAsSymbols()
    {
        var ml = new MLContext(seed: 1);
        string[] words = ["red", "green", "blue", "cyan", "black"];
        IEnumerable<TokenPair> Rows(int seed, int count)
        {
            var random = new Random(seed);
            for (int i = 0; i < count; i++)
            {
                string[] tokens = [.. Enumerable.Range(0, random.Next(2, 6)).Select(_ => words[random.Next(words.Length)])];
                yield return new TokenPair { SourceTokens = tokens, TargetTokens = [.. tokens.Reverse()] };
            }
        }
        IDataView train = ml.Data.LoadFromEnumerable(Rows(1, 500)), test = ml.Data.LoadFromEnumerable(Rows(2, 40));
        ITransformer keys = ml.Transforms.Conversion.MapValueToKey("Source", "SourceTokens")
            .Append(ml.Transforms.Conversion.MapValueToKey("Target", "TargetTokens")).Fit(train);
        Seq2SeqTransformer model = ml.Transforms.Text.SequenceToSequence(new Seq2SeqOptions
        {
            EmbeddingSize = 8, EncoderHiddenSize = 32, DecoderHiddenSize = 32, AttentionSize = 32, Dropout = 0f, NumberOfEpochs = 25, LearningRate = 0.01f, Seed = 3,
        }).Fit(keys.Transform(train));
        TranslationMetrics metrics = model.Evaluate(keys.Transform(test));
        Assert.IsGreaterThan(0.95, metrics.ExactMatch, metrics.ToString());
        CollectionAssert.AreEquivalent(words, model.TargetSymbols.ToArray(), "the target symbols are the key values");
        string[] predicted = [.. model.Transform(keys.Transform(test)).GetColumn<string>("PredictedText")];
        Assert.AreEqual(string.Join(' ', Rows(2, 1).First().TargetTokens), predicted[0]);
        var numbers = ml.Data.LoadFromEnumerable(new[] { new { Source = new float[] { 1, 2 }, Target = "x" } });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(numbers).GetColumn<string>("PredictedText").ToArray()).Message, "a scalar of text or a vector of UInt32 keys");
    }

    [TestMethod]
    public void BadInputIsRefusedWithItsRowOrDocumented()
    {
        (MLContext ml, Seq2SeqTransformer model) = Reverser.Value;
        var tiny = new Seq2SeqOptions { EncoderHiddenSize = 4, DecoderHiddenSize = 4, AttentionSize = 4, EmbeddingSize = 2, NumberOfEpochs = 1 };
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.Text.SequenceToSequence(tiny).Fit(Pairs(ml, [("ab", "ba"), ("", "x")]))).Message, "row 1 has an empty source");
        tiny.MaximumTargetLength = 3;
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.Text.SequenceToSequence(tiny).Fit(Pairs(ml, [("ab", "ba"), ("abcd", "dcba")]))).Message, "row 1 has a target of 4 symbols, more than MaximumTargetLength = 3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.Text.SequenceToSequence(tiny).Fit(ml.Data.LoadFromEnumerable(new[] { new { Source = 1f, Target = "x" } }))).Message, "'Source' is Single");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Text.SequenceToSequence(new Seq2SeqOptions { Attention = AttentionScore.Dot, DecoderHiddenSize = 100 })).Message, "key width");
        // Documented: unseen source symbols read as the unknown symbol (the model still answers), outputs stop at the maximum length.
        string answer = model.Translate(["xyz"])[0];
        Assert.IsLessThanOrEqualTo(model.MaximumTargetLength, answer.Length);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Translate(["ab", ""])).Message, "Source 1 is empty");
    }
}
