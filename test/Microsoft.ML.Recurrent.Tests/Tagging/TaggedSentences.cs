namespace Microsoft.ML.Recurrent.Tests.Tagging;

/// <summary>What a tagger's PredictionEngine returns after MapKeyToValue.</summary>
public sealed class TagPrediction
{
    public string[] PredictedTags { get; set; } = [];
    public float[] Score { get; set; } = [];
}

/// <summary>
/// A synthetic grammar for taggers: names after "mr"/"ms" are people (B-PER, then I-PER for a surname), places
/// after "in"/"to"/"from" are locations (B-LOC, I-LOC for two-word places), everything else O. The same word can
/// be a name or a place ("jordan", "georgia"), so only the context decides.
/// </summary>
internal static class TaggedSentences
{
    private static readonly string[] First = ["john", "mary", "jordan", "georgia", "paul", "anna", "kim", "lee"];
    private static readonly string[] Last = ["smith", "jones", "brown", "taylor", "lee"];
    private static readonly string[] Places = ["paris", "london", "jordan", "georgia", "berlin", "rome", "lima"];
    private static readonly string[] Second = ["city", "north", "south"];
    private static readonly string[] Filler = ["we", "met", "yesterday", "and", "then", "went", "home", "a", "friend", "saw", "the", "train"];

    public static TaggedSentence[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var sentences = new TaggedSentence[count];
        for (int s = 0; s < count; s++)
        {
            var words = new List<string>();
            var tags = new List<string>();
            int parts = random.Next(1, 4);
            for (int p = 0; p < parts; p++)
            {
                for (int f = random.Next(0, 3); f > 0; f--) { words.Add(Filler[random.Next(Filler.Length)]); tags.Add("O"); }
                if (random.Next(2) == 0)
                {
                    words.Add(random.Next(2) == 0 ? "mr" : "ms"); tags.Add("O");
                    words.Add(First[random.Next(First.Length)]); tags.Add("B-PER");
                    if (random.Next(2) == 0) { words.Add(Last[random.Next(Last.Length)]); tags.Add("I-PER"); }
                }
                else
                {
                    words.Add(new[] { "in", "to", "from" }[random.Next(3)]); tags.Add("O");
                    words.Add(Places[random.Next(Places.Length)]); tags.Add("B-LOC");
                    if (random.Next(3) == 0) { words.Add(Second[random.Next(Second.Length)]); tags.Add("I-LOC"); }
                }
            }
            sentences[s] = new TaggedSentence { Tokens = [.. words], Tags = [.. tags] };
        }
        return sentences;
    }
}
