namespace Microsoft.ML.Recurrent.Samples.PosTagging;

/// <summary>
/// The sample's own data when no files are given: sentences from a small English grammar with UPOS tags,
/// where some words take several tags by position ("the run" NOUN, "we run" VERB; "that" DET or SCONJ).
/// </summary>
internal static class GeneratedCorpus
{
    private static readonly string[] Determiners = ["the", "a", "this", "that", "every"];
    private static readonly string[] Adjectives = ["big", "small", "red", "quick", "old", "new"];
    private static readonly string[] Nouns = ["dog", "cat", "run", "play", "book", "house", "plan", "walk"];
    private static readonly string[] Verbs = ["saw", "likes", "run", "play", "reads", "plan", "walk", "wants"];
    private static readonly string[] Pronouns = ["we", "they", "i", "you"];
    private static readonly string[] Adverbs = ["quickly", "often", "never", "today"];

    public static List<TaggedSentence> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var sentences = new List<TaggedSentence>(count);
        for (int s = 0; s < count; s++)
        {
            var tokens = new List<string>();
            var tags = new List<string>();
            void Add(string word, string tag) { tokens.Add(word); tags.Add(tag); }
            void NounPhrase()
            {
                if (random.Next(3) == 0) { Add(Pick(random, Pronouns), "PRON"); return; }
                Add(Pick(random, Determiners), "DET");
                if (random.Next(2) == 0) Add(Pick(random, Adjectives), "ADJ");
                Add(Pick(random, Nouns), "NOUN");
            }
            NounPhrase();
            if (random.Next(3) == 0) Add(Pick(random, Adverbs), "ADV");
            Add(Pick(random, Verbs), "VERB");
            if (random.Next(3) == 0) { Add("that", "SCONJ"); NounPhrase(); Add(Pick(random, Verbs), "VERB"); }
            NounPhrase();
            Add(".", "PUNCT");
            tokens[0] = char.ToUpperInvariant(tokens[0][0]) + tokens[0][1..];
            sentences.Add(new TaggedSentence { Tokens = [.. tokens], Tags = [.. tags] });
        }
        return sentences;
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
