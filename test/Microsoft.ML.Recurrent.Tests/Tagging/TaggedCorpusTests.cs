namespace Microsoft.ML.Recurrent.Tests.Tagging;

/// <summary>The corpus readers read CoNLL-U, column and seq.in/seq.out files and name the file and line of bad input.</summary>
[TestClass]
public sealed class TaggedCorpusTests
{
    private static string Write(string name, string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, text);
        return path;
    }

    [TestMethod]
    public void ConllUSkipsCommentsMultiwordRangesAndEmptyNodes()
    {
        string path = Write("a.conllu", "# sent_id = 1\n# text = I don't.\n1\tI\tI\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n3.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n");
        try
        {
            List<TaggedSentence> sentences = TaggedCorpus.ReadConllU(path);
            Assert.HasCount(2, sentences);
            CollectionAssert.AreEqual(new[] { "I", "do", "n't", "." }, sentences[0].Tokens);
            CollectionAssert.AreEqual(new[] { "PRON", "AUX", "PART", "PUNCT" }, sentences[0].Tags);
            CollectionAssert.AreEqual(new[] { "PRP", "VBP", "RB", "." }, TaggedCorpus.ReadConllU(path, "XPOS")[0].Tags);
            File.AppendAllText(path, "\n1\tbroken line\n");
            var error = Assert.ThrowsExactly<InvalidDataException>(() => TaggedCorpus.ReadConllU(path));
            StringAssert.Contains(error.Message, $"{path}, line 12");
            StringAssert.Contains(error.Message, "10 tab-separated fields");
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void ColumnFilesAndSlotFilesRoundTrip()
    {
        string tsv = Write("b.tsv", "-DOCSTART- -X- O O\n\nEU NNP B-ORG\nrejects VBZ O\n\nPeter NNP B-PER\n");
        string seqIn = Write("c.seq.in", "play some jazz\nwake me up\n");
        string seqOut = seqIn[..^".seq.in".Length] + ".seq.out";
        File.WriteAllText(seqOut, "O O B-genre\nO O O\n");
        try
        {
            List<TaggedSentence> conll = TaggedCorpus.ReadColumns(tsv);
            Assert.HasCount(2, conll);
            CollectionAssert.AreEqual(new[] { "B-ORG", "O" }, conll[0].Tags);
            CollectionAssert.AreEqual(new[] { "NNP", "VBZ" }, TaggedCorpus.ReadColumns(tsv, tagColumn: 1)[0].Tags);
            CollectionAssert.AreEqual(new[] { "EU\tB-ORG", "rejects\tO", "", "Peter\tB-PER", "" }, TaggedCorpus.FormatColumns(conll).ToArray());
            List<TaggedSentence> slots = TaggedCorpus.ReadSeqInOut(seqIn);
            CollectionAssert.AreEqual(new[] { "O", "O", "B-genre" }, slots[0].Tags);
            File.WriteAllText(seqOut, "O O B-genre\nO O\n");
            var error = Assert.ThrowsExactly<InvalidDataException>(() => TaggedCorpus.ReadSeqInOut(seqIn));
            StringAssert.Contains(error.Message, $"{seqOut}, line 2: 2 tags for the 3 tokens");
        }
        finally { File.Delete(tsv); File.Delete(seqIn); File.Delete(seqOut); }
    }
}
