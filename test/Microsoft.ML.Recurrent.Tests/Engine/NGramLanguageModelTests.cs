using Microsoft.ML.Recurrent.Engine.Decoding;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The Kneser-Ney n-gram model: proper distributions in every context, sensible preferences, and use in CTC beam search.</summary>
[TestClass]
public sealed class NGramLanguageModelTests
{
    private static IReadOnlyList<string> Chars(string text) => [.. text.Select(c => c.ToString())];

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    public void EveryContextGivesAProperDistribution(int order)
    {
        NGramLanguageModel lm = NGramLanguageModel.Train(new[] { "the cat sat", "the hat", "a cat ate the rat" }.Select(Chars), order);
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
    public void TheLanguageModelDecidesBetweenAcousticallyTiedTranscripts()
    {
        // Labels: 0 blank, 1 'a', 2 'b'. Each of two frames is nearly tied between 'a' and 'b', 'a' slightly ahead.
        float[] logProbs = [MathF.Log(0.1f), MathF.Log(0.46f), MathF.Log(0.44f), MathF.Log(0.1f), MathF.Log(0.46f), MathF.Log(0.44f)];
        string[] symbols = ["", "a", "b"];
        NGramLanguageModel lm = NGramLanguageModel.Train(Enumerable.Repeat("b", 20).Select(Chars), order: 2);
        var plain = CtcDecoder.BeamSearch(logProbs, 3, 0, beamWidth: 8);
        var withLm = CtcDecoder.BeamSearch(logProbs, 3, 0, beamWidth: 8, lm.ForCtc(l => symbols[l]), languageModelWeight: 1);
        Assert.AreEqual("a", string.Concat(plain[0].Labels.Select(l => symbols[l])), "the acoustics alone prefer 'a'");
        Assert.AreEqual("b", string.Concat(withLm[0].Labels.Select(l => symbols[l])), "a language model that has only seen 'b' turns it");
    }
}
