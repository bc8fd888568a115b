using System.Text;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// The symbols of a text model (language model, seq2seq source or target): id 0 is the unknown symbol (a character or word never seen in training),
/// id 1 the end of a text (each training row ends with it; generation stops when it is produced), then
/// the training symbols in order of first appearance.
/// </summary>
internal sealed class SymbolVocabulary
{
    public const int Unknown = 0, EndOfText = 1;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public SymbolVocabulary(SymbolUnit unit, IReadOnlyList<string> symbols)
    {
        Unit = unit;
        Symbols = symbols;
        for (int i = 2; i < symbols.Count; i++)
            if (!_ids.TryAdd(symbols[i], i)) throw new InvalidDataException($"The symbol '{symbols[i]}' appears twice in the vocabulary.");
    }

    public SymbolUnit Unit { get; }

    /// <summary>Every symbol by id (the first two are placeholders for the unknown symbol and the end of text).</summary>
    public IReadOnlyList<string> Symbols { get; }

    public int Size => Symbols.Count;

    /// <summary>The symbols of <paramref name="texts"/> seen at least <paramref name="minimumFrequency"/> times, in order of first appearance.</summary>
    public static SymbolVocabulary Build(SymbolUnit unit, IEnumerable<string> texts, int minimumFrequency)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (string text in texts)
            foreach (string symbol in Split(unit, text))
            {
                if (counts.TryGetValue(symbol, out int c)) counts[symbol] = c + 1;
                else { counts[symbol] = 1; order.Add(symbol); }
            }
        List<string> kept = [.. order.Where(s => counts[s] >= minimumFrequency)];
        if (kept.Count == 0) throw new InvalidOperationException("The training texts hold no symbol (every row is empty, or no symbol reaches the minimum frequency).");
        return new SymbolVocabulary(unit, ["<unk>", "</s>", .. kept]);
    }

    /// <summary>The ids of a text's symbols (unknown ones as <see cref="Unknown"/>), without the end of text.</summary>
    public int[] Encode(string text) => [.. Split(Unit, text).Select(s => _ids.GetValueOrDefault(s, Unknown))];

    /// <summary>The symbols of a text as this vocabulary splits it (known or not).</summary>
    public string[] Split(string text) => [.. Split(Unit, text)];

    /// <summary>Whether every symbol of <paramref name="text"/> is known; otherwise the first unknown one.</summary>
    public string? FirstUnknown(string text) => Split(Unit, text).FirstOrDefault(s => !_ids.ContainsKey(s));

    /// <summary>The text of one symbol as generation appends it (a word with its leading space after the first).</summary>
    public string Render(int id, bool first) => id switch
    {
        Unknown => Unit == SymbolUnit.Word ? (first ? "<unk>" : " <unk>") : "\uFFFD",
        EndOfText => "",
        _ => Unit == SymbolUnit.Word && !first ? " " + Symbols[id] : Symbols[id],
    };

    /// <summary>The text of a sequence of symbols.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        bool first = true;
        foreach (int id in ids)
        {
            text.Append(Render(id, first));
            first = false;
        }
        return text.ToString();
    }

    /// <summary>The symbols of <paramref name="text"/> for <paramref name="unit"/>: its characters, or its space-separated words.</summary>
    public static IEnumerable<string> Split(SymbolUnit unit, string text) => unit == SymbolUnit.Character
        ? text.Select(c => c.ToString())
        : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
