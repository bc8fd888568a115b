namespace Microsoft.ML.Recurrent.Engine.Decoding;

/// <summary>
/// The usual CTC beam-search scorer: an optional n-gram language model (weighted), an insertion bonus, and an optional
/// lexicon. Labels are either characters of text, one of them the word separator (a space), or whole words. With
/// characters, the language model reads characters (scoring every label) or words (scoring each word as it completes
/// and the sentence end), and the lexicon only lets a word grow into a prefix of one of its words and end on a whole
/// one. With word labels, the language model reads the labels and the lexicon limits which ones may appear.
/// </summary>
public sealed class CtcPrefixScorer : ICtcPrefixScorer<CtcPrefixScorer.State>
{
    private readonly IReadOnlyList<string> _symbols;
    private readonly string? _separator;
    private readonly NGramLanguageModel? _model;
    private readonly bool _wordModel;
    private readonly double _weight, _bonus;
    private readonly HashSet<string>? _words, _prefixes;

    /// <summary>Creates the scorer.</summary>
    /// <param name="symbols">Each label's text (the blank's entry is not read).</param>
    /// <param name="separator">The text of the label that separates words when labels are characters (a space); null when every label is a word.</param>
    /// <param name="languageModel">The n-gram model, or null.</param>
    /// <param name="wordLanguageModel">With character labels: whether <paramref name="languageModel"/> reads words rather than characters.</param>
    /// <param name="languageModelWeight">The weight of the model's log-probabilities.</param>
    /// <param name="insertionBonus">Added per scored unit (a label, or a word with a word model), against the model's preference for short outputs.</param>
    /// <param name="lexicon">The words allowed, or null for any.</param>
    public CtcPrefixScorer(IReadOnlyList<string> symbols, string? separator, NGramLanguageModel? languageModel = null, bool wordLanguageModel = false,
        double languageModelWeight = 1, double insertionBonus = 0, IEnumerable<string>? lexicon = null)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (separator == "") throw new ArgumentException("The separator is a symbol's text (e.g. a space), or null for word labels.", nameof(separator));
        if (wordLanguageModel && separator is null) throw new ArgumentException("A word language model over word labels is the plain one: wordLanguageModel is for character labels.", nameof(wordLanguageModel));
        if (!double.IsFinite(languageModelWeight) || !double.IsFinite(insertionBonus)) throw new ArgumentException("The language-model weight and the insertion bonus must be finite.");
        _symbols = symbols;
        _separator = separator;
        _model = languageModel;
        _wordModel = wordLanguageModel;
        _weight = languageModelWeight;
        _bonus = insertionBonus;
        if (lexicon is not null)
        {
            _words = new HashSet<string>(lexicon.Where(w => w.Length > 0), StringComparer.Ordinal);
            if (_words.Count == 0) throw new ArgumentException("The lexicon holds no word.", nameof(lexicon));
            _prefixes = new HashSet<string>(_words.SelectMany(w => Enumerable.Range(1, w.Length).Select(n => w[..n])), StringComparer.Ordinal);
        }
    }

    /// <summary>A prefix's state: the model's context (its last symbols) and, with character labels, the word in progress.</summary>
    public sealed class State
    {
        internal State(string[] context, string word, Dictionary<(string, string), double> cache)
        {
            Context = context;
            Word = word;
            Cache = cache;
        }

        internal string[] Context { get; }

        /// <summary>The context joined on first use, once, for the cache: every label tried from this prefix looks it up.</summary>
        internal string ContextKey => field ??= string.Join('\u0001', Context);

        internal string Word { get; }

        internal Dictionary<(string Context, string Next), double> Cache { get; }
    }

    /// <inheritdoc/>
    public State Start() => new([], "", []);

    /// <inheritdoc/>
    public double Extend(State state, int label, out State next)
    {
        ArgumentNullException.ThrowIfNull(state);
        string symbol = _symbols[label];
        next = state;
        if (_separator is null)
        {
            if (_words is not null && !_words.Contains(symbol)) return double.NegativeInfinity;
            next = Grown(state, symbol, "");
            return Model(state, symbol) + _bonus;
        }
        if (symbol == _separator)
        {
            if (_words is not null || _wordModel)
            {
                // A word ends here: it must be a whole word of the lexicon (no empty words).
                if (state.Word.Length == 0 || _words?.Contains(state.Word) == false) return double.NegativeInfinity;
                if (_wordModel)
                {
                    next = Grown(state, state.Word, "");
                    return Model(state, state.Word) + _bonus;
                }
            }
            next = Grown(state, symbol, "");
            return Model(state, symbol) + _bonus;
        }
        string word = state.Word + symbol;
        if (_prefixes?.Contains(word) == false) return double.NegativeInfinity;
        if (_wordModel)
        {
            next = new State(state.Context, word, state.Cache);
            return 0;
        }
        next = Grown(state, symbol, word);
        return Model(state, symbol) + _bonus;
    }

    /// <inheritdoc/>
    public double Finish(State state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Word.Length > 0 && _words?.Contains(state.Word) == false) return double.NegativeInfinity;
        double score = 0;
        if (_wordModel && state.Word.Length > 0)
        {
            score = Model(state, state.Word) + _bonus;
            state = Grown(state, state.Word, "");
        }
        return score + Model(state, NGramLanguageModel.EndOfSentence);
    }

    private State Grown(State state, string symbol, string word)
    {
        if (_model is null) return new State([], word, state.Cache);
        int keep = Math.Min(_model.Order - 1, state.Context.Length + 1);
        string[] context = keep == 0 ? [] : [.. state.Context.Skip(state.Context.Length + 1 - keep), symbol];
        return new State(context, word, state.Cache);
    }

    private double Model(State state, string next)
    {
        if (_model is null) return 0;
        var key = (state.ContextKey, next);
        if (!state.Cache.TryGetValue(key, out double logP)) state.Cache[key] = logP = _model.LogProbability(state.Context, next);
        return _weight * logP;
    }
}
