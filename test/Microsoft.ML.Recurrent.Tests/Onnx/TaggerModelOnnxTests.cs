using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Recurrent.Tests.Tagging;

namespace Microsoft.ML.Recurrent.Tests.Onnx;

/// <summary>
/// An exported tagger runs in ONNX Runtime on a padded batch of sentences whose ids are built from the model file's own
/// metadata, and gives the transformer's tags (CRF Viterbi in ONNX loops, within the BIO constraints) and emissions.
/// </summary>
[TestClass]
public sealed class TaggerModelOnnxTests
{
    [TestMethod]
    [DataRow(true, true, true, DisplayName = "CRF, characters, casing")]
    [DataRow(true, false, false, DisplayName = "CRF, words only")]
    [DataRow(false, true, false, DisplayName = "softmax, characters")]
    public void TheTaggerMatchesOnnxRuntime(bool crf, bool characters, bool casing)
    {
        var ml = new MLContext(1);
        TaggedSentence[] sentences = TaggedSentences.Generate(120, 5);
        var options = new SequenceTaggerOptions
        {
            TokenColumnName = nameof(TaggedSentence.Tokens), HiddenSize = 8, WordEmbeddingSize = 6, CharacterEmbeddingSize = 4, CharacterFilters = 5,
            UseCharacterFeatures = characters, UseCasingFeatures = casing, UseCrf = crf, NumberOfEpochs = 2, LearningRate = 0.01f, Seed = 1,
        };
        var model = (SequenceTaggingTransformer)((IEnumerable<ITransformer>)ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggedSentence.Tags))
            .Append(ml.MulticlassClassification.Trainers.SequenceTagger(options)).Fit(ml.Data.LoadFromEnumerable(sentences))).Last();
        // A barely trained tagger says O everywhere: random emission biases make the tags vary, and strong random transitions
        // make the Viterbi path differ from each token's best emission (both checked below).
        var random = new Random(3);
        for (int i = 0; i < model.Network.Head.Bias.Size; i++) model.Network.Head.Bias.Value[i] += (float)(random.NextDouble() - 0.5);
        if (model.Network.Crf is { } layer)
        {
            for (int i = 0; i < layer.Transitions.Size; i++) layer.Transitions.Value[i] += (float)(6 * random.NextDouble() - 3);
            for (int i = 0; i < layer.StartTransitions.Size; i++) layer.StartTransitions.Value[i] += (float)(2 * random.NextDouble() - 1);
        }
        using var stream = new MemoryStream();
        ml.Model.ConvertRecurrentToOnnx(model, stream);
        using var session = new InferenceSession(stream.ToArray());
        Dictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
        CollectionAssert.AreEqual(model.TagNames.ToArray(), metadata["tags"].Split('\n'));

        // A batch of 16 sentences of their own lengths (one of a single token), with words the model never saw.
        string[][] batch = [["Mr"], .. sentences.Take(14).Select(s => s.Tokens), ["we", "met", "Zanzibar9", "in", "ROME"]];
        (Tensor<long> predicted, Tensor<float> emissions) = Run(session, batch, characters, casing);

        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(batch.Select(tokens => new TaggedSentence { Tokens = tokens, Tags = [.. tokens.Select(_ => "O")] })));
        uint[][] ours = [.. scored.GetColumn<VBuffer<uint>>("PredictedLabel").Select(v => v.DenseValues().ToArray())];
        int k = model.TagNames.Count;
        float worst = 0;
        int differing = 0;
        for (int s = 0; s < batch.Length; s++)
        {
            CollectionAssert.AreEqual(ours[s].Select(v => (long)v).ToArray(), Enumerable.Range(0, batch[s].Length).Select(t => predicted[s, t]).ToArray(), $"sentence {s}: {string.Join(" ", batch[s])}");
            float[] reference = OursEmissions(model, batch[s]);
            for (int t = 0; t < batch[s].Length; t++)
                for (int j = 0; j < k; j++) worst = Math.Max(worst, Math.Abs(reference[t * k + j] - emissions[s, t, j]));
            if (Enumerable.Range(0, batch[s].Length).Any(t => ours[s][t] - 1 != Array.IndexOf(reference, reference.AsSpan(t * k, k).ToArray().Max(), t * k) - t * k)) differing++;
        }
        if (crf) Assert.IsGreaterThan(2, differing, "the CRF's path differs from the best emissions in several sentences");
        Assert.IsGreaterThan(1, ours.SelectMany(v => v).Distinct().Count(), "the tags vary");
        Assert.IsLessThanOrEqualTo(1e-5f, worst, "emissions");
        // One step only: the loops run no iteration.
        (Tensor<long> single, _) = Run(session, [["Mr"], ["Mr"]], characters, casing);
        CollectionAssert.AreEqual(new[] { 2, 1 }, single.Dimensions.ToArray());
        Assert.AreEqual((long)ours[0][0], single[1, 0], "a one-token sentence alone");
    }

    /// <summary>The model's tags and emissions for <paramref name="batch"/>, padded, with ids from the model's own metadata.</summary>
    private static (Tensor<long> Tags, Tensor<float> Emissions) Run(InferenceSession session, string[][] batch, bool characters, bool casing)
    {
        Dictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
        int b = batch.Length, time = batch.Max(s => s.Length), chars = batch.SelectMany(s => s).Max(w => w.Length);
        var words = metadata["words"].Split('\n').Select((w, i) => (w, i + 1)).ToDictionary(p => p.w, p => (long)p.Item2);
        long[] tokens = new long[b * time];
        Array.Fill(tokens, 1L);   // padding with a known word, so a wrong mask would show
        long[] charIds = new long[b * time * chars];
        Array.Fill(charIds, -1L);
        float[] casingFeatures = new float[b * time * 5];
        for (int s = 0; s < b; s++)
            for (int t = 0; t < batch[s].Length; t++)
            {
                string word = batch[s][t];
                tokens[s * time + t] = words.GetValueOrDefault(word.ToLowerInvariant());
                if (characters)
                    for (int c = 0; c < word.Length; c++) charIds[(s * time + t) * chars + c] = metadata["characters"].IndexOf(word[c]) + 1;
                casingFeatures[(s * time + t) * 5 + Casing(word)] = 1;
            }
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(tokens, [b, time])),
            NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(batch.Select(s => s.Length).ToArray(), [b, 1])),
        };
        if (characters) inputs.Add(NamedOnnxValue.CreateFromTensor("characters", new DenseTensor<long>(charIds, [b, time, chars])));
        if (casing) inputs.Add(NamedOnnxValue.CreateFromTensor("casing", new DenseTensor<float>(casingFeatures, [b, time, 5])));
        using var results = session.Run(inputs);
        return (results.First(r => r.Name == "PredictedLabel").AsTensor<long>().Clone(), results.First(r => r.Name == "Emissions").AsTensor<float>().Clone());
    }

    /// <summary>The casing feature index (lower, upper, capitalized, digit, other), as the tagger computes it.</summary>
    private static int Casing(string word)
    {
        float[] features = new float[5];
        Recurrent.Tagging.WordVocabulary.Casing(word, features);
        return Array.IndexOf(features, 1f);
    }

    private static float[] OursEmissions(SequenceTaggingTransformer model, string[] sentence)
    {
        var columns = model.Columns;
        int[] ids = [.. sentence.Select(w => columns.Words.Id(w))];
        float[] features = new float[sentence.Length * columns.FeatureSize];
        if (columns.Casing) for (int t = 0; t < sentence.Length; t++) Recurrent.Tagging.WordVocabulary.Casing(sentence[t], features.AsSpan(t * 5, 5));
        int[][] chars = columns.Characters is { } vocabulary ? [.. sentence.Select(w => vocabulary.Ids(w))] : [];
        int[] offsets = columns.Characters is null ? [] : [0, .. chars.Select(c => c.Length).Select((_, i) => chars.Take(i + 1).Sum(c => c.Length))];
        return model.Network.Forward(Recurrent.Engine.Tensors.SequenceLayout.FromSortedLengths([sentence.Length]), ids, features, [.. chars.SelectMany(c => c)], offsets).ToArray();
    }
}
