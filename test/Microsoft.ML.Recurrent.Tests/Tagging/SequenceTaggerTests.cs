using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Tests.Persistence;

namespace Microsoft.ML.Recurrent.Tests.Tagging;

/// <summary>The BiLSTM-CRF tagger inside ML.NET pipelines: it learns a context-dependent grammar, decodes valid sequences, round-trips through the model file.</summary>
[TestClass]
public sealed class SequenceTaggerTests
{
    private static IEstimator<ITransformer> Pipeline(MLContext ml, SequenceTaggerOptions options) =>
        ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggedSentence.Tags))
            .Append(ml.MulticlassClassification.Trainers.SequenceTagger(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel"));

    private static SequenceTaggerOptions Small(bool crf = true) => new()
    {
        TokenColumnName = nameof(TaggedSentence.Tokens), HiddenSize = 24, WordEmbeddingSize = 16, NumberOfEpochs = 12, LearningRate = 0.01f,
        Dropout = 0.1f, WordDropout = 0f, UseCrf = crf, BatchSize = 16,
    };

    private static double Accuracy(IEnumerable<string[]> predicted, IEnumerable<TaggedSentence> gold)
    {
        int correct = 0, total = 0;
        foreach ((string[] p, TaggedSentence g) in predicted.Zip(gold))
        {
            Assert.HasCount(g.Tags.Length, p, "one predicted tag per token");
            for (int t = 0; t < p.Length; t++) { total++; if (p[t] == g.Tags[t]) correct++; }
        }
        return (double)correct / total;
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void TaggerLearnsAGrammarWhereOnlyContextDecides(bool crf)
    {
        var ml = new MLContext(seed: 1);
        TaggedSentence[] test = TaggedSentences.Generate(200, 2);
        ITransformer model = Pipeline(ml, Small(crf)).Fit(ml.Data.LoadFromEnumerable(TaggedSentences.Generate(800, 1)));
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(test));
        string[][] predicted = [.. scored.GetColumn<string[]>("PredictedTags")];
        double accuracy = Accuracy(predicted, test);
        TaggingMetrics metrics = ml.MulticlassClassification.EvaluateTagging(scored);
        Assert.AreEqual(accuracy, metrics.TokenAccuracy, 1e-12, "the evaluator counts the same tokens");
        Assert.IsGreaterThan(crf ? 0.99 : 0.95, metrics.Chunk.F1, metrics.ToString());
        Assert.IsGreaterThan(crf ? 0.995 : 0.98, accuracy, $"token accuracy {accuracy:F4} ({(crf ? "CRF" : "softmax")})");
        if (crf)
            foreach (string[] tags in predicted)
                for (int t = 0; t < tags.Length; t++)
                    if (tags[t].StartsWith("I-", StringComparison.Ordinal))
                        Assert.IsTrue(t > 0 && tags[t - 1] is var previous && previous[2..] == tags[t][2..] && previous != "O", $"invalid BIO: {string.Join(" ", tags)}");
    }

    [TestMethod]
    public void PredictionEngineBatchTransformAndTheLoadedModelAgree()
    {
        var ml = new MLContext(seed: 3);
        IDataView train = ml.Data.LoadFromEnumerable(TaggedSentences.Generate(300, 3));
        SequenceTaggerOptions options = Small();
        options.NumberOfEpochs = 2;
        ITransformer model = Pipeline(ml, options).Fit(train);
        TaggedSentence[] rows = TaggedSentences.Generate(60, 4);
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        string[][] tags = [.. model.Transform(data).GetColumn<string[]>("PredictedTags")];
        float[][] scores = [.. model.Transform(data).GetColumn<float[]>("Score")];
        var engine = ml.Model.CreatePredictionEngine<TaggedSentence, TagPrediction>(model);
        for (int i = 0; i < rows.Length; i++)
        {
            TagPrediction single = engine.Predict(rows[i]);
            CollectionAssert.AreEqual(tags[i], single.PredictedTags, $"row {i}");
            for (int t = 0; t < scores[i].Length; t++) Assert.AreEqual(scores[i][t], single.Score[t], 1e-5f, $"row {i} token {t}");
            Assert.IsTrue(scores[i].All(s => s is > 0 and <= 1), "confidences are probabilities");
        }
        ITransformer loaded = ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, model, train.Schema)), out _);
        CollectionAssert.AreEqual(ModelFiles.Dump(model.Transform(data), "PredictedTags", "Score"), ModelFiles.Dump(loaded.Transform(data), "PredictedTags", "Score"));
    }

    [TestMethod]
    public void OutputColumnsCarryTheTagNamesAndTheSchemeIsDetected()
    {
        var ml = new MLContext(seed: 5);
        IDataView train = ml.Data.LoadFromEnumerable(TaggedSentences.Generate(50, 5));
        SequenceTaggerOptions options = Small();
        options.NumberOfEpochs = 1;
        var estimator = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggedSentence.Tags)).Append(ml.MulticlassClassification.Trainers.SequenceTagger(options));
        var model = estimator.Fit(train);
        SequenceTaggingTransformer tagger = model.LastTransformer;
        Assert.AreEqual(TagScheme.Bio, tagger.TagScheme);
        CollectionAssert.AreEquivalent(new[] { "O", "B-PER", "I-PER", "B-LOC", "I-LOC" }, tagger.TagNames.ToArray());
        DataViewSchema.Column predicted = model.Transform(train).Schema["PredictedLabel"];
        VBuffer<ReadOnlyMemory<char>> names = default;
        predicted.Annotations.GetValue("KeyValues", ref names);
        CollectionAssert.AreEqual(tagger.TagNames.ToArray(), names.DenseValues().Select(n => n.ToString()).ToArray());
        SchemaShape promised = estimator.GetOutputSchema(Recurrent.Data.MLNetInternals.ToShape(train.Schema));
        Assert.IsTrue(promised.Any(c => c.Name == "PredictedLabel" && c.IsKey && c.Kind == SchemaShape.Column.VectorKind.VariableVector));
        Assert.IsTrue(promised.Any(c => c.Name == "Score" && c.Kind == SchemaShape.Column.VectorKind.VariableVector));
    }

    [TestMethod]
    public void BadSentencesGetErrorsThatNameTheRow()
    {
        var ml = new MLContext(seed: 6);
        TaggedSentence[] rows = TaggedSentences.Generate(20, 6);
        rows[7] = new TaggedSentence { Tokens = ["mr", "smith"], Tags = ["O"] };
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Pipeline(ml, Small()).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, "Row 7 has 2 tokens in 'Tokens' but 1 tags in 'Label'");
        rows[7] = new TaggedSentence { Tokens = [], Tags = [] };
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Pipeline(ml, Small()).Fit(ml.Data.LoadFromEnumerable(rows))).Message, "Row 7 of column 'Tokens' is an empty sentence");
        var wrongLabel = ml.MulticlassClassification.Trainers.SequenceTagger(new SequenceTaggerOptions { TokenColumnName = "Tokens", LabelColumnName = "Tags" });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => wrongLabel.Fit(ml.Data.LoadFromEnumerable(TaggedSentences.Generate(5, 1)))).Message, "needs a vector of UInt32 keys");
    }

    [TestMethod]
    public void TagSchemesAreDetectedFromTheNames()
    {
        Assert.AreEqual(TagScheme.Bio, Recurrent.Tagging.TagSet.Detect(["O", "B-X", "I-X"]));
        Assert.AreEqual(TagScheme.Bioes, Recurrent.Tagging.TagSet.Detect(["O", "B-X", "I-X", "E-X", "S-X"]));
        Assert.AreEqual(TagScheme.None, Recurrent.Tagging.TagSet.Detect(["NOUN", "VERB", "DET"]));
        Assert.AreEqual(TagScheme.None, Recurrent.Tagging.TagSet.Detect(["O", "B-X", "PUNCT"]));
        // A chunk that starts with I- (as conlleval reads it) is repaired to B- for training.
        var tags = new Recurrent.Tagging.TagSet(["O", "B-X", "I-X"], TagScheme.Auto);
        int[] sequence = [0, 2, 2, 0, 2];
        Assert.AreEqual(2, tags.Repair(sequence));
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 0, 1 }, sequence);
    }
}
