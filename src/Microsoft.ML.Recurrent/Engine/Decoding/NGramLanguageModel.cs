namespace Microsoft.ML.Recurrent.Engine.Decoding;

/// <summary>
/// An interpolated n-gram language model over symbols (characters or words) trained from text, for scoring decoder
/// hypotheses (e.g. through <see cref="CtcPrefixScorer"/>). Each sentence is padded with n - 1 start markers and ends
/// with <see cref="EndOfSentence"/>. Kneser-Ney: the highest order uses counts, the lower ones continuation counts
/// (how many distinct symbols precede), each discounted by D and interpolated with the order below. Witten-Bell: every
/// order uses counts, and a context seen c times followed by T distinct symbols gives the order below the weight
/// T / (c + T). The lowest order interpolates with the uniform distribution over the vocabulary, so every context
/// gives a proper distribution over the vocabulary and the end marker (unknown symbols get the uniform share).
/// </summary>
public sealed class NGramLanguageModel
{
    /// <summary>The end-of-sentence symbol (a member of the vocabulary).</summary>
    public const string EndOfSentence = "</s>";
    private const string Start = "<s>";
    private readonly Dictionary<string, Dictionary<string, int>>[] _counts;   // per order k (1-based): context (k-1 symbols) -> next -> count
    private readonly Dictionary<string, (int Total, int Types)>[] _totals;

    private NGramLanguageModel(int order, NGramSmoothing smoothing, double discount, IReadOnlyList<string> vocabulary, Dictionary<string, Dictionary<string, int>>[] counts)
    {
        Order = order;
        Smoothing = smoothing;
        Discount = discount;
        Vocabulary = vocabulary;
        _counts = counts;
        _totals = [.. counts.Select(level => level.ToDictionary(e => e.Key, e => (e.Value.Values.Sum(), e.Value.Count)))];
    }

    /// <summary>n.</summary>
    public int Order { get; }

    /// <summary>How unseen continuations get their probability.</summary>
    public NGramSmoothing Smoothing { get; }

    /// <summary>D, Kneser-Ney's absolute discount (unused by Witten-Bell).</summary>
    public double Discount { get; }

    /// <summary>The predictable symbols (the training symbols and <see cref="EndOfSentence"/>).</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Counts n-grams of <paramref name="sentences"/> (each a sequence of symbols).</summary>
    public static NGramLanguageModel Train(IEnumerable<IReadOnlyList<string>> sentences, int order = 3, double discount = 0.75) =>
        Train(sentences, order, NGramSmoothing.KneserNey, discount);

    /// <summary>Counts n-grams of <paramref name="sentences"/> (each a sequence of symbols) for the given smoothing.</summary>
    public static NGramLanguageModel Train(IEnumerable<IReadOnlyList<string>> sentences, int order, NGramSmoothing smoothing, double discount = 0.75)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        if (!Enum.IsDefined(smoothing)) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "Unknown smoothing.");
        if (!(discount is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "The discount must be in (0, 1).");
        var counts = new Dictionary<string, Dictionary<string, int>>[order];
        for (int k = 0; k < order; k++) counts[k] = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var vocabulary = new SortedSet<string>(StringComparer.Ordinal) { EndOfSentence };
        var grams = new HashSet<string>(StringComparer.Ordinal);   // distinct n-grams of every order, for continuation counts
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            string[] padded = [.. Enumerable.Repeat(Start, order - 1), .. sentence, EndOfSentence];
            foreach (string s in sentence)
            {
                if (s is Start or EndOfSentence) throw new ArgumentException($"The symbols {Start} and {EndOfSentence} are reserved.", nameof(sentences));
                vocabulary.Add(s);
            }
            for (int i = order - 1; i < padded.Length; i++)
            {
                Add(counts[order - 1], Key(padded, i - order + 1, order - 1), padded[i]);
                for (int k = 1; k <= order; k++) if (i - k + 1 >= 0) grams.Add(Key(padded, i - k + 1, k));
                if (smoothing == NGramSmoothing.WittenBell)
                    for (int k = 1; k < order; k++) Add(counts[k - 1], Key(padded, i - k + 1, k - 1), padded[i]);
            }
        }
        // Kneser-Ney's lower orders: the continuation count of (h', w) is the number of distinct symbols x with x h' w seen.
        if (smoothing == NGramSmoothing.KneserNey)
            foreach (string gram in grams)
            {
                string[] parts = Split(gram);
                if (parts.Length < 2 || parts.Length > order) continue;
                int k = parts.Length - 1;
                Add(counts[k - 1], string.Join('\u0001', parts[1..k]), parts[k]);
            }
        return new NGramLanguageModel(order, smoothing, discount, [.. vocabulary], counts);
    }

    /// <summary>A model from its parts as <see cref="Counts"/> gives them (for the model-file codec); checks their shape.</summary>
    internal static NGramLanguageModel FromCounts(int order, NGramSmoothing smoothing, double discount, IReadOnlyList<string> vocabulary,
        Dictionary<string, Dictionary<string, int>>[] counts)
    {
        if (counts.Length != order) throw new ArgumentException($"{counts.Length} count tables for order {order}.");
        if (!vocabulary.Contains(EndOfSentence)) throw new ArgumentException($"The vocabulary lacks {EndOfSentence}.");
        foreach (var level in counts)
            foreach (var row in level.Values)
                if (row.Count == 0 || row.Values.Any(c => c <= 0)) throw new ArgumentException("A context has no continuation or a count below 1.");
        return new NGramLanguageModel(order, smoothing, discount, vocabulary, counts);
    }

    /// <summary>Per order k (index k - 1): context (k - 1 symbols joined by U+0001) -> next symbol -> count.</summary>
    internal IReadOnlyList<Dictionary<string, Dictionary<string, int>>> Counts => _counts;

    /// <summary>ln P(<paramref name="next"/> | the last n - 1 symbols of <paramref name="history"/>, start-padded).</summary>
    public double LogProbability(IReadOnlyList<string> history, string next)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(next);
        string[] context = [.. Enumerable.Repeat(Start, Math.Max(0, Order - 1 - history.Count)), .. history.Skip(Math.Max(0, history.Count - (Order - 1)))];
        return Math.Log(Probability(context, next, Order));
    }

    private double Probability(string[] context, string next, int k)
    {
        double uniform = 1.0 / Vocabulary.Count;
        if (k == 0) return uniform;
        string[] used = context[(context.Length - (k - 1))..];
        double lower = Probability(context, next, k - 1);
        string key = string.Join('\u0001', used);
        if (!_totals[k - 1].TryGetValue(key, out var total) || total.Total == 0) return lower;
        int count = _counts[k - 1][key].GetValueOrDefault(next);
        return Smoothing == NGramSmoothing.KneserNey
            ? Math.Max(count - Discount, 0) / total.Total + Discount * total.Types / total.Total * lower
            : (count + total.Types * lower) / (total.Total + total.Types);
    }

    private static void Add(Dictionary<string, Dictionary<string, int>> level, string context, string next)
    {
        if (!level.TryGetValue(context, out var row)) level[context] = row = new Dictionary<string, int>(StringComparer.Ordinal);
        row[next] = row.GetValueOrDefault(next) + 1;
    }

    private static string Key(string[] symbols, int start, int count) => string.Join('\u0001', symbols, start, count);

    private static string[] Split(string gram) => gram.Split('\u0001');
}
