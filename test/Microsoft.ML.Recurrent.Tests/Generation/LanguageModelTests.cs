using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Tests.Generation;

/// <summary>The language model inside ML.NET: it memorizes text, generates and scores it, and its generation options mean what they say.</summary>
[TestClass]
public sealed class LanguageModelTests
{
    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    private const string Verse = "the quick brown fox jumps over the lazy dog. ";

    private static IDataView Texts(MLContext ml, params string[] texts) => ml.Data.LoadFromEnumerable(texts.Select(t => new Row { Text = t }));

    private static LanguageModelTransformer Memorized(out MLContext ml)
    {
        ml = new MLContext(seed: 1);
        var options = new LanguageModelOptions
        {
            HiddenSize = 64, EmbeddingSize = 16, NumberOfLayers = 1, Dropout = 0f, SequenceLength = 32, BatchSize = 4,
            NumberOfEpochs = 60, LearningRate = 0.01f, Seed = 3,
        };
        return ml.Transforms.Text.LanguageModel(options).Fit(Texts(ml, Enumerable.Repeat(Verse + Verse, 8).ToArray()));
    }

    [TestMethod]
    public void ATinyModelMemorizesAShortTextAndContinuesIt()
    {
        LanguageModelTransformer model = Memorized(out MLContext ml);
        TextGenerator generator = model.CreateGenerator();
        string greedy = generator.Generate("the quick brown ", new GenerationOptions { Temperature = 0, MaximumLength = 28 });
        Assert.AreEqual("fox jumps over the lazy dog.", greedy);
        LanguageModelMetrics metrics = model.Evaluate(Texts(ml, Verse + Verse));
        Assert.IsLessThan(0.1, metrics.CrossEntropy, metrics.ToString());
        Assert.IsGreaterThan(8.0, model.CreateGenerator().Perplexity("zzzz qqqq xxxx"), "unseen text is surprising");
    }

    [TestMethod]
    public void TemperatureZeroAndBeamOfOneAreGreedyAndSamplingRepeatsWithItsSeed()
    {
        LanguageModelTransformer model = Memorized(out _);
        TextGenerator generator = model.CreateGenerator();
        const string prompt = "jumps ";
        string greedy = generator.Generate(prompt, new GenerationOptions { Temperature = 0, MaximumLength = 40 });
        Assert.AreEqual(greedy, generator.Generate(prompt, new GenerationOptions { Temperature = 1e-4f, MaximumLength = 40, Seed = 9 }), "temperature -> 0");
        Assert.AreEqual(greedy, generator.Generate(prompt, new GenerationOptions { BeamWidth = 1, MaximumLength = 40 }), "beam of width 1");
        var hot = new GenerationOptions { Temperature = 3f, MaximumLength = 60, Seed = 5 };
        string first = generator.Generate(prompt, hot);
        Assert.AreEqual(first, generator.Generate(prompt, hot), "same seed, same text");
        Assert.AreNotEqual(first, generator.Generate(prompt, new GenerationOptions { Temperature = 3f, MaximumLength = 60, Seed = 6 }), "another seed, another text");
        Assert.AreEqual(string.Concat(generator.Stream(prompt, hot)), first, "streaming gives the same text piece by piece");
        string wild = generator.Generate(prompt, new GenerationOptions { Temperature = 50f, MaximumLength = 500, Seed = 1 });
        Assert.IsFalse(wild.Contains('\uFFFD'), "even at a high temperature the unknown symbol is never written");
    }

    [TestMethod]
    public void AStopStringEndsGenerationAndIsLeftOut()
    {
        TextGenerator generator = Memorized(out _).CreateGenerator();
        Assert.AreEqual("fox jumps", generator.Generate("the quick brown ", new GenerationOptions { Temperature = 0, StopString = " over" }));
        Assert.AreEqual("fox jumps", generator.Generate("the quick brown ", new GenerationOptions { BeamWidth = 3, StopString = " over" }));
    }

    [TestMethod]
    public void TransformAppendsGeneratedTextAndPerplexity()
    {
        LanguageModelTransformer model = Memorized(out MLContext ml).WithGeneration(new GenerationOptions { Temperature = 0, MaximumLength = 9 });
        IDataView scored = model.Transform(Texts(ml, "the quick brown fox jumps over the lazy ", "zzzz"));
        string[] generated = [.. scored.GetColumn<string>("GeneratedText")];
        float[] perplexity = [.. scored.GetColumn<float>("Perplexity")];
        StringAssert.StartsWith(generated[0], "dog.");
        Assert.IsLessThan(perplexity[1], perplexity[0]);
        SchemaShape shape = ml.Transforms.Text.LanguageModel(new LanguageModelOptions()).GetOutputSchema(MLNetInternals.ToShape(Texts(ml, "x").Schema));
        CollectionAssert.IsSubsetOf(new[] { "GeneratedText", "Perplexity" }, shape.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void AWordModelOfGruCellsContinuesAPromptWordByWord()
    {
        var ml = new MLContext(seed: 1);
        string[] texts = [.. Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "the cat sat on the mat" : "a dog ran in the park")];
        LanguageModelTransformer model = ml.Transforms.Text.LanguageModel(new LanguageModelOptions
        {
            Unit = SymbolUnit.Word, Cell = CellType.Gru, HiddenSize = 32, EmbeddingSize = 16, NumberOfLayers = 1, Dropout = 0f, BatchSize = 8,
            NumberOfEpochs = 40, LearningRate = 0.01f, Seed = 2,
        }).Fit(Texts(ml, texts));
        CollectionAssert.AreEqual(new[] { "the", "cat", "sat", "on", "mat", "a", "dog", "ran", "in", "park" }, model.Symbols.ToArray());
        TextGenerator generator = model.CreateGenerator();
        Assert.AreEqual(" sat on the mat", generator.Generate("the cat", new GenerationOptions { Temperature = 0 }), "words after the prompt's start with a space");
        Assert.AreEqual(" ran in the park", generator.Generate("a dog", new GenerationOptions { BeamWidth = 2 }));
        string fromNothing = generator.Generate("", new GenerationOptions { Temperature = 0 });
        Assert.IsTrue(fromNothing is "the cat sat on the mat" or "a dog ran in the park", $"a whole training text, without a leading space: '{fromNothing}'");
    }

    [TestMethod]
    public void BadInputGivesClearErrors()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.Transforms.Text.LanguageModel(new LanguageModelOptions { NumberOfEpochs = 1 });
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => trainer.Fit(Texts(ml, "", ""))).Message, "no symbol");
        IDataView numbers = ml.Data.LoadFromEnumerable(new[] { new { Text = 1f } });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(numbers)).Message, "scalar of text");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new LanguageModelOptions { TieWeights = true, EmbeddingSize = 8, HiddenSize = 16 }.Validate()).Message, "EmbeddingSize");
        TextGenerator generator = Memorized(out _).CreateGenerator();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => generator.Generate("x", new GenerationOptions { TopP = 0 })).Message, "TopP");
        // Characters never seen in training read as the unknown symbol (documented): generation goes on, and such text is improbable.
        Assert.IsNotNull(generator.Generate("the §€ ", new GenerationOptions { Temperature = 0, MaximumLength = 5 }));
        double unseen = generator.Perplexity("§€§€"), seen = generator.Perplexity(Verse);
        Assert.IsTrue(double.IsFinite(unseen) && unseen > seen, $"unseen {unseen}, seen {seen}");
    }
}
