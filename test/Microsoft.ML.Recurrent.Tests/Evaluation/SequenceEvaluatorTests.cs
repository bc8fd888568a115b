namespace Microsoft.ML.Recurrent.Tests.Evaluation;

/// <summary>Edit distances, WER/CER and BLEU against hand-computed cases.</summary>
[TestClass]
public sealed class SequenceEvaluatorTests
{
    private static string[] T(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [TestMethod]
    public void TheAlignmentCountsSubstitutionsDeletionsAndInsertions()
    {
        EditDistance e = EditDistance.Align(T("the cat sat on the mat"), T("oh the cat sit on mat"));
        Assert.AreEqual((1, 1, 1, 6), (e.Substitutions, e.Deletions, e.Insertions, e.ReferenceLength));
        CollectionAssert.AreEqual(
            new[] { EditOperation.Insertion, EditOperation.Match, EditOperation.Match, EditOperation.Substitution, EditOperation.Match, EditOperation.Deletion, EditOperation.Match },
            e.Alignment.Select(a => a.Operation).ToArray());
        Assert.AreEqual(("sat", "sit"), (e.Alignment[3].Reference, e.Alignment[3].Hypothesis));
        // Ties between minimal alignments go to substitutions: "the mat" -> "mat today" is two substitutions, not D + I.
        EditDistance tie = EditDistance.Align(T("the mat"), T("mat today"));
        Assert.AreEqual((2, 0, 0), (tie.Substitutions, tie.Deletions, tie.Insertions));
        Assert.AreEqual(3, EditDistance.Align([], T("a b c")).Insertions);
        Assert.AreEqual(2, EditDistance.Align(T("a b"), []).Deletions);
    }

    [TestMethod]
    public void WordAndCharacterErrorRatesSumOverTheDataset()
    {
        TranscriptionMetrics m = TranscriptionEvaluator.Evaluate([("one two three", "one too three"), ("four five", "four five six")]);
        // Words: 1 substitution of 3, then 1 insertion over 2: 2 errors / 5 words.
        Assert.AreEqual(0.4, m.WordErrorRate, 1e-12);
        Assert.AreEqual((1L, 0L, 1L, 5L), m.Words);
        // Characters: "two" -> "too" is 1 substitution of 13; " six" is 4 insertions over 9: 5 / 22.
        Assert.AreEqual(5.0 / 22, m.CharacterErrorRate, 1e-12);
        StringAssert.Contains(m.ToString(), "WER 40.00 %");
        Assert.AreEqual(EditOperation.Insertion, m.Utterances[1].Words.Alignment[^1].Operation);
    }

    [TestMethod]
    public void BleuMatchesHandComputedCases()
    {
        IReadOnlyList<IReadOnlyList<string>> One(string reference) => [T(reference)];
        Assert.AreEqual(1.0, TranslationEvaluator.Evaluate([(One("a b c d e"), T("a b c d e"))]).Bleu, 1e-12, "identical");
        // All n-grams right but short: BP = exp(1 - 6/4).
        Assert.AreEqual(Math.Exp(-0.5), TranslationEvaluator.Evaluate([(One("a b c d e f"), T("a b c d"))]).Bleu, 1e-12, "brevity");
        // p1 = 3/4, p2 = 2/3, p3 = 1/2, p4 = 0/1 smoothed to 1/(2*1): (0.75 * 2/3 * 0.5 * 0.5)^(1/4).
        TranslationMetrics m = TranslationEvaluator.Evaluate([(One("a b c d"), T("a b c e"))]);
        Assert.AreEqual(Math.Pow(0.125, 0.25), m.Bleu, 1e-12, "precisions and smoothing");
        Assert.AreEqual(0.25, m.TokenErrorRate, 1e-12);
        Assert.AreEqual(0.0, m.ExactMatch);
        // Clipping: "the the the the" against "the cat": p1 = 1/4 (one "the" counts).
        Assert.AreEqual(0.25, TranslationEvaluator.Evaluate([(One("the cat"), T("the the the the"))]).Precisions[0], 1e-12);
    }

    [TestMethod]
    public void SeveralReferencesCountTheBestOne()
    {
        // A word with two pronunciations: the output matches the second.
        IReadOnlyList<IReadOnlyList<string>> references = [T("T AH0 M EY1 T OW2"), T("T AH0 M AA1 T OW2")];
        TranslationMetrics m = TranslationEvaluator.Evaluate([(references, T("T AH0 M AA1 T OW2"))]);
        Assert.AreEqual(1.0, m.ExactMatch);
        Assert.AreEqual(0.0, m.TokenErrorRate);
        Assert.AreEqual(1.0, m.Bleu, 1e-12);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TranslationEvaluator.Evaluate([([], T("x"))])).Message, "no reference");
    }
}
