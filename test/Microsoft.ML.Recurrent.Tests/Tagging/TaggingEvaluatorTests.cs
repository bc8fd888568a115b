using Microsoft.ML.Recurrent.Evaluation;

namespace Microsoft.ML.Recurrent.Tests.Tagging;

/// <summary>The tagging evaluator against hand-computed cases: boundary errors, type errors, I- after O, strict mode.</summary>
[TestClass]
public sealed class TaggingEvaluatorTests
{
    private static readonly string[] Bio = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];

    private static string[] T(string tags) => tags.Split(' ');

    [TestMethod]
    public void ConllevalReadsChunksIncludingOnesThatStartWithI()
    {
        CollectionAssert.AreEqual(new[] { new Chunk(0, 2, "PER"), new Chunk(3, 4, "LOC") }, Chunks.Conlleval(T("B-PER I-PER O B-LOC")));
        // I- after O starts a chunk; a change of type ends one and starts another.
        CollectionAssert.AreEqual(new[] { new Chunk(1, 3, "PER"), new Chunk(3, 4, "LOC") }, Chunks.Conlleval(T("O I-PER I-PER I-LOC")));
        CollectionAssert.AreEqual(new[] { new Chunk(0, 1, "PER"), new Chunk(1, 2, "PER") }, Chunks.Conlleval(T("B-PER B-PER")));
        // BIOES: E- closes, S- stands alone.
        CollectionAssert.AreEqual(new[] { new Chunk(0, 3, "LOC"), new Chunk(3, 4, "PER") }, Chunks.Conlleval(T("B-LOC I-LOC E-LOC S-PER")));
    }

    [TestMethod]
    public void StrictModeKeepsOnlyWellFormedChunks()
    {
        CollectionAssert.AreEqual(new[] { new Chunk(3, 4, "LOC") }, Chunks.Strict(T("O I-PER I-PER B-LOC"), bioes: false));
        CollectionAssert.AreEqual(new[] { new Chunk(0, 3, "LOC") }, Chunks.Strict(T("B-LOC I-LOC E-LOC B-PER I-PER"), bioes: true), "a BIOES chunk without its E- is not a chunk");
    }

    [TestMethod]
    public void ChunkAndTokenScoresMatchHandCountedCases()
    {
        (IReadOnlyList<string>, IReadOnlyList<string>)[] sentences =
        [
            // Correct PER; LOC with a boundary error (predicted one token short): 1 TP, 1 FP, 1 FN.
            (T("B-PER I-PER O B-LOC I-LOC"), T("B-PER I-PER O B-LOC O")),
            // Type error: gold PER predicted LOC: LOC FP, PER FN.
            (T("O B-PER"), T("O B-LOC")),
            // Predicted I-PER after O: conlleval reads it as a PER chunk, which matches the gold one.
            (T("B-PER O"), T("I-PER O")),
        ];
        TaggingMetrics metrics = TaggingEvaluator.Evaluate(sentences, Bio, strict: false);
        Assert.AreEqual(3L, metrics.Sentences);
        Assert.AreEqual(9L, metrics.Tokens);
        Assert.AreEqual(6.0 / 9, metrics.TokenAccuracy, 1e-12);
        ClassScores per = metrics.PerChunkType.Single(c => c.Name == "PER"), loc = metrics.PerChunkType.Single(c => c.Name == "LOC");
        Assert.AreEqual((2L, 0L, 1L), (per.TruePositives, per.FalsePositives, per.FalseNegatives));
        Assert.AreEqual((0L, 2L, 1L), (loc.TruePositives, loc.FalsePositives, loc.FalseNegatives));
        Assert.AreEqual(2.0 / 4, metrics.Chunk.Precision, 1e-12);
        Assert.AreEqual(2.0 / 4, metrics.Chunk.Recall, 1e-12);
        Assert.AreEqual(0.5, metrics.Chunk.F1, 1e-12);
        // Strict: the I-PER prediction is not a chunk, so PER loses a TP and gains a FN.
        TaggingMetrics strict = TaggingEvaluator.Evaluate(sentences, Bio, strict: true);
        ClassScores strictPer = strict.PerChunkType.Single(c => c.Name == "PER");
        Assert.AreEqual((1L, 0L, 2L), (strictPer.TruePositives, strictPer.FalsePositives, strictPer.FalseNegatives));
        // Token level: B-PER appears 3 times in gold and is predicted right once; the confusion matrix says where the others went.
        ClassScores bPer = metrics.PerTag.Single(t => t.Name == "B-PER");
        Assert.AreEqual((1L, 0L, 2L), (bPer.TruePositives, bPer.FalsePositives, bPer.FalseNegatives));
        Assert.AreEqual(1L, metrics.ConfusionMatrix[1, 3], "gold B-PER predicted B-LOC");
        Assert.AreEqual(1L, metrics.ConfusionMatrix[1, 2], "gold B-PER predicted I-PER");
        StringAssert.Contains(metrics.ToString(), "token accuracy 66.67");
    }

    [TestMethod]
    public void PartOfSpeechTagsHaveNoChunksAndMismatchesAreErrors()
    {
        TaggingMetrics pos = TaggingEvaluator.Evaluate([(T("DET NOUN VERB"), T("DET NOUN NOUN"))], ["DET", "NOUN", "VERB"], strict: false);
        Assert.IsEmpty(pos.PerChunkType);
        Assert.AreEqual(2.0 / 3, pos.TokenAccuracy, 1e-12);
        Assert.AreEqual((1.0 + 2.0 / 3 + 0) / 3, pos.MacroF1, 1e-12);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TaggingEvaluator.Evaluate([(T("DET NOUN"), T("DET"))], ["DET", "NOUN"], false)).Message, "2 gold tags but 1 predicted");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TaggingEvaluator.Evaluate([(T("ADJ"), T("ADJ"))], ["DET"], false)).Message, "'ADJ'");
    }

    [TestMethod]
    public void ChunkCountsEqualConllevalOnAFixedFile()
    {
        // Fixtures/conlleval-bio.txt: 90 sentences ("token gold predicted", blank line between sentences) with boundary,
        // type and B/I errors, spurious chunks (I- after O among them) and a type with a hyphen (MISC-X). The expected
        // counts are what conlleval.pl (2004-01-26) prints for that file.
        var sentences = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        List<string> gold = [], predicted = [];
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "conlleval-bio.txt")).Append(""))
        {
            if (line.Length == 0)
            {
                if (gold.Count > 0) sentences.Add((gold, predicted));
                (gold, predicted) = ([], []);
                continue;
            }
            string[] fields = line.Split(' ');
            gold.Add(fields[1]);
            predicted.Add(fields[2]);
        }
        string[] tags = [.. sentences.SelectMany(s => s.Item1.Concat(s.Item2)).Distinct().Order(StringComparer.Ordinal)];
        TaggingMetrics metrics = TaggingEvaluator.Evaluate(sentences, tags, strict: false);
        Assert.AreEqual(634L, metrics.Tokens);
        Assert.AreEqual(528.0 / 634, metrics.TokenAccuracy, 1e-12);
        // conlleval: 160 phrases, found 234, correct 122.
        Assert.AreEqual((122L, 234L - 122, 160L - 122), (metrics.Chunk.TruePositives, metrics.Chunk.FalsePositives, metrics.Chunk.FalseNegatives));
        // Per type: correct, gold, found.
        foreach ((string type, long correct, long inGold, long found) in new[] { ("LOC", 30L, 39L, 53L), ("MISC-X", 39L, 49L, 75L), ("ORG", 27L, 36L, 52L), ("PER", 26L, 36L, 54L) })
        {
            ClassScores scores = metrics.PerChunkType.Single(c => c.Name == type);
            Assert.AreEqual((correct, found - correct, inGold - correct), (scores.TruePositives, scores.FalsePositives, scores.FalseNegatives), type);
        }
    }
}
