using Microsoft.ML.Recurrent.Engine.Decoding;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The n-gram model (Kneser-Ney and Witten-Bell): proper distributions in every context, hand-computed values, and its use with a lexicon in CTC beam search.</summary>
[TestClass]
public sealed class NGramLanguageModelTests
{
    private static IReadOnlyList<string> Chars(string text) => [.. text.Select(c => c.ToString())];

    [TestMethod]
    [DataRow(1, NGramSmoothing.KneserNey)]
    [DataRow(2, NGramSmoothing.KneserNey)]
    [DataRow(3, NGramSmoothing.KneserNey)]
    [DataRow(4, NGramSmoothing.KneserNey)]
    [DataRow(2, NGramSmoothing.WittenBell)]
    [DataRow(4, NGramSmoothing.WittenBell)]
    public void EveryContextGivesAProperDistribution(int order, NGramSmoothing smoothing)
    {
        NGramLanguageModel lm = NGramLanguageModel.Train(new[] { "the cat sat", "the hat", "a cat ate the rat" }.Select(Chars), order, smoothing);
        string[] histories = ["", "t", "th", "the", "the c", "zz", "q", "a cat ate the r"];
        foreach (string history in histories)
        {
            double total = lm.Vocabulary.Sum(w => Math.Exp(lm.LogProbability(Chars(history), w)));
            Assert.AreEqual(1.0, total, 1e-9, $"order {order}, history '{history}'");
        }
        Assert.IsTrue(double.IsFinite(lm.LogProbability(Chars("the"), "#")), "an unknown symbol keeps a small probability");
    }

    [TestMethod]
    public void SeenContinuationsAreMoreLikely()
    {
        NGramLanguageModel lm = NGramLanguageModel.Train(Enumerable.Repeat("the cat sat on the mat", 5).Select(Chars), order: 3);
        double P(string history, string next) => lm.LogProbability(Chars(history), next);
        Assert.IsTrue(P("the c", "a") > P("the c", "o"), "'a' follows 'the c'");
        Assert.IsTrue(P("on the ma", "t") > P("on the ma", NGramLanguageModel.EndOfSentence), "'t' ends 'mat'");
        Assert.IsTrue(P("the cat sat on the mat", NGramLanguageModel.EndOfSentence) > P("the cat sat on the mat", "t"), "the sentence ends after 'mat'");
        Assert.IsTrue(P("the ", "c") > P("the ", "x"), "a seen symbol beats an unseen one");
    }

    [TestMethod]
    public void WittenBellMatchesHandComputedValues()
    {
        // Sentences "ab", "ab", "b": unigrams a 2, b 3, </s> 3 (8 tokens, 3 types), so P1(b) = (3 + 3/3) / (8 + 3) = 4/11;
        // after "a": b twice (1 type), so P(b | a) = (2 + 1 * 4/11) / (2 + 1) = 26/33 and P(a | a) = (0 + 3/11) / 3 = 1/11.
        NGramLanguageModel lm = NGramLanguageModel.Train(new[] { "ab", "ab", "b" }.Select(Chars), order: 2, NGramSmoothing.WittenBell);
        Assert.AreEqual(26.0 / 33, Math.Exp(lm.LogProbability(Chars("a"), "b")), 1e-12);
        Assert.AreEqual(1.0 / 11, Math.Exp(lm.LogProbability(Chars("a"), "a")), 1e-12);
        Assert.AreEqual(4.0 / 33, Math.Exp(lm.LogProbability(Chars("a"), NGramLanguageModel.EndOfSentence)), 1e-12);
        // Kneser-Ney on the same text (D = 0.75): after "a" only b (count 2): P(b | a) = 1.25/2 + 0.75/2 * Pc(b), where b's
        // continuation count is 2 (after <s> and a) of the 4 bigram types (<s>a, ab, b</s>, <s>b) ending in 3 distinct symbols,
        // interpolated with the uniform 1/3.
        NGramLanguageModel kn = NGramLanguageModel.Train(new[] { "ab", "ab", "b" }.Select(Chars), order: 2);
        double continuation = (2 - 0.75) / 4 + 0.75 * 3 / 4 / 3;
        Assert.AreEqual(1.25 / 2 + 0.75 / 2 * continuation, Math.Exp(kn.LogProbability(Chars("a"), "b")), 1e-12);
    }

    [TestMethod]
    public void ALexiconTurnsAMisspellingIntoTheNearestWordAndAWordModelPicksBetweenWords()
    {
        // Character labels: 0 blank, then o n e w t space. Frames spell "one" weakly: the last letter is 'w' by a little.
        string[] symbols = ["", "o", "n", "e", "w", "t", " "];
        float[] Frame(params (int Label, float P)[] ps)
        {
            float rest = (1 - ps.Sum(p => p.P)) / (7 - ps.Length);
            return [.. Enumerable.Range(0, 7).Select(c => MathF.Log(ps.FirstOrDefault(p => p.Label == c).P is > 0 and var v ? v : rest))];
        }
        float[] lp = [.. Frame((1, 0.9f)), .. Frame((0, 0.9f)), .. Frame((2, 0.9f)), .. Frame((4, 0.5f), (3, 0.4f))];
        string Best<TState>(ICtcPrefixScorer<TState> scorer) => string.Concat(CtcDecoder.BeamSearch(lp, 7, 0, 8, scorer)[0].Labels.Select(l => symbols[l]));
        Assert.AreEqual("onw", string.Concat(CtcDecoder.Greedy(lp, 7, 0).Select(l => symbols[l])), "the best path misspells");
        Assert.AreEqual("one", Best(new CtcPrefixScorer(symbols, " ", lexicon: ["one", "two"])), "the lexicon only lets words of it be spelled");

        var lexicon = new CtcPrefixScorer(symbols, " ", lexicon: ["one", "two"]);
        lexicon.Extend(lexicon.Start(), 1, out var o);
        lexicon.Extend(o, 2, out var on);
        Assert.AreEqual(double.NegativeInfinity, lexicon.Extend(on, 4, out _), "'onw' is no prefix of a word: pruned as it grows");
        Assert.AreEqual(double.NegativeInfinity, lexicon.Finish(on), "'on' is no word");

        // Three frames tied between spelling "one" and "two", then " one": a word model that has read "one one" decides, or one that has read "two one".
        float[] tied = [.. Frame((1, 0.45f), (5, 0.45f)), .. Frame((2, 0.45f), (4, 0.45f)), .. Frame((3, 0.45f), (1, 0.45f)), .. Frame((6, 0.9f)),
            .. lp[..21], .. Frame((3, 0.9f))];
        string Decode(NGramLanguageModel words) => string.Concat(CtcDecoder.BeamSearch(tied, 7, 0, 16,
            new CtcPrefixScorer(symbols, " ", words, wordLanguageModel: true, languageModelWeight: 1, lexicon: ["one", "two"]))[0].Labels.Select(l => symbols[l]));
        NGramLanguageModel Words(string first) => NGramLanguageModel.Train(Enumerable.Repeat<IReadOnlyList<string>>([first, "one"], 10), order: 2, NGramSmoothing.WittenBell);
        Assert.AreEqual("one one", Decode(Words("one")));
        Assert.AreEqual("two one", Decode(Words("two")));
    }

    [TestMethod]
    public void TheLanguageModelDecidesBetweenAcousticallyTiedTranscripts()
    {
        // Labels: 0 blank, 1 'a', 2 'b'. Each of two frames is nearly tied between 'a' and 'b', 'a' slightly ahead.
        float[] logProbs = [MathF.Log(0.1f), MathF.Log(0.46f), MathF.Log(0.44f), MathF.Log(0.1f), MathF.Log(0.46f), MathF.Log(0.44f)];
        string[] symbols = ["", "a", "b"];
        NGramLanguageModel lm = NGramLanguageModel.Train(Enumerable.Repeat("b", 20).Select(Chars), order: 2);
        var plain = CtcDecoder.BeamSearch(logProbs, 3, 0, beamWidth: 8);
        var withLm = CtcDecoder.BeamSearch(logProbs, 3, 0, beamWidth: 8, new CtcPrefixScorer(symbols, separator: null, lm, languageModelWeight: 1));
        Assert.AreEqual("a", string.Concat(plain[0].Labels.Select(l => symbols[l])), "the acoustics alone prefer 'a'");
        Assert.AreEqual("b", string.Concat(withLm[0].Labels.Select(l => symbols[l])), "a language model that has only seen 'b' turns it");
    }
}
