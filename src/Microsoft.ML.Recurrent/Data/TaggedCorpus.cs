using System.IO.Compression;

namespace Microsoft.ML.Recurrent;

/// <summary>One sentence of a tagged corpus: tokens and one tag per token (load a list of them with <c>mlContext.Data.LoadFromEnumerable</c>).</summary>
public sealed class TaggedSentence
{
    /// <summary>The tokens.</summary>
    public string[] Tokens { get; set; } = [];

    /// <summary>One tag per token.</summary>
    public string[] Tags { get; set; } = [];
}

/// <summary>
/// Readers of the standard tagged-corpus formats: CoNLL-U, column files with blank lines between sentences
/// (CoNLL-2003 style, and the two-column FORM/TAG .tsv), and the seq.in/seq.out pairs of slot-filling sets.
/// Files may be gzip-compressed (.gz). Malformed input is an <see cref="InvalidDataException"/> naming the file and line.
/// </summary>
public static class TaggedCorpus
{
    /// <summary>Reads a CoNLL-U file: FORM with UPOS (or XPOS); comment lines, multiword-token ranges (1-2) and empty nodes (1.1) are skipped.</summary>
    /// <param name="path">The .conllu or .conllu.gz file.</param>
    /// <param name="tagField">"UPOS" (column 4) or "XPOS" (column 5).</param>
    public static List<TaggedSentence> ReadConllU(string path, string tagField = "UPOS")
    {
        int field = tagField switch
        {
            "UPOS" => 3,
            "XPOS" => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(tagField), tagField, "The tag field must be UPOS or XPOS."),
        };
        return ReadBlocks(path, (line, number) =>
        {
            if (line.StartsWith('#')) return null;
            string[] columns = line.Split('\t');
            if (columns.Length != 10) throw Malformed(path, number, $"a CoNLL-U word line has 10 tab-separated fields, this one has {columns.Length}");
            if (columns[0].Contains('-') || columns[0].Contains('.')) return null;
            if (!int.TryParse(columns[0], out _)) throw Malformed(path, number, $"the ID '{columns[0]}' is not a number");
            return (columns[1], columns[field]);
        });
    }

    /// <summary>Reads a column file: one token per line, sentences separated by blank lines, whitespace- or tab-separated columns; -DOCSTART- lines are skipped.</summary>
    /// <param name="path">The file.</param>
    /// <param name="tokenColumn">Index of the token column.</param>
    /// <param name="tagColumn">Index of the tag column; -1 for the last one.</param>
    public static List<TaggedSentence> ReadColumns(string path, int tokenColumn = 0, int tagColumn = -1) =>
        ReadBlocks(path, (line, number) =>
        {
            if (line.StartsWith("-DOCSTART-", StringComparison.Ordinal)) return null;
            string[] columns = line.Contains('\t') ? line.Split('\t') : line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int tag = tagColumn < 0 ? columns.Length - 1 : tagColumn;
            if (columns.Length < 2 || tokenColumn >= columns.Length || tag >= columns.Length || tag == tokenColumn)
                throw Malformed(path, number, $"expected a token and a tag column, found {columns.Length} column(s)");
            return (columns[tokenColumn], columns[tag]);
        });

    /// <summary>Reads a slot-filling pair: line i of <paramref name="seqInPath"/> holds sentence i's tokens, line i of the seq.out file its tags, space-separated.</summary>
    /// <param name="seqInPath">The *.seq.in file.</param>
    /// <param name="seqOutPath">The tags; null for the *.seq.out beside it.</param>
    public static List<TaggedSentence> ReadSeqInOut(string seqInPath, string? seqOutPath = null)
    {
        seqOutPath ??= seqInPath.EndsWith(".seq.in", StringComparison.Ordinal) ? seqInPath[..^".seq.in".Length] + ".seq.out"
            : throw new ArgumentException($"'{seqInPath}' does not end in .seq.in; give the tag file too.", nameof(seqInPath));
        string[] tokens = ReadLines(seqInPath), tags = ReadLines(seqOutPath);
        if (tokens.Length != tags.Length)
            throw new InvalidDataException($"{seqInPath} has {tokens.Length} sentences but {seqOutPath} has {tags.Length}.");
        var sentences = new List<TaggedSentence>(tokens.Length);
        for (int i = 0; i < tokens.Length; i++)
        {
            string[] words = tokens[i].Split(' ', StringSplitOptions.RemoveEmptyEntries), labels = tags[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) throw Malformed(seqInPath, i + 1, "the sentence is empty");
            if (words.Length != labels.Length) throw Malformed(seqOutPath, i + 1, $"{labels.Length} tags for the {words.Length} tokens of {seqInPath} line {i + 1}");
            sentences.Add(new TaggedSentence { Tokens = words, Tags = labels });
        }
        return sentences;
    }

    /// <summary>Writes sentences as token&lt;TAB&gt;tag lines with a blank line after each (the .tsv format the readers read).</summary>
    public static IEnumerable<string> FormatColumns(IEnumerable<TaggedSentence> sentences)
    {
        foreach (TaggedSentence sentence in sentences)
        {
            for (int t = 0; t < sentence.Tokens.Length; t++) yield return $"{sentence.Tokens[t]}\t{sentence.Tags[t]}";
            yield return "";
        }
    }

    private static List<TaggedSentence> ReadBlocks(string path, Func<string, int, (string Token, string Tag)?> parse)
    {
        var sentences = new List<TaggedSentence>();
        var tokens = new List<string>();
        var tags = new List<string>();
        int number = 0;
        void Flush()
        {
            if (tokens.Count > 0) sentences.Add(new TaggedSentence { Tokens = [.. tokens], Tags = [.. tags] });
            tokens.Clear();
            tags.Clear();
        }
        using TextReader reader = Open(path);
        while (reader.ReadLine() is string line)
        {
            number++;
            if (line.Trim().Length == 0) { Flush(); continue; }
            if (parse(line, number) is not (string token, string tag)) continue;
            if (token.Length == 0 || tag.Length == 0) throw Malformed(path, number, "the token or its tag is empty");
            tokens.Add(token);
            tags.Add(tag);
        }
        Flush();
        if (sentences.Count == 0) throw new InvalidDataException($"{path} holds no sentences.");
        return sentences;
    }

    private static string[] ReadLines(string path)
    {
        using TextReader reader = Open(path);
        var lines = new List<string>();
        while (reader.ReadLine() is string line) lines.Add(line);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return [.. lines];
    }

    private static TextReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The corpus file '{path}' does not exist.", path);
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream);
    }

    private static InvalidDataException Malformed(string path, int line, string problem) => new($"{path}, line {line}: {problem}.");
}
