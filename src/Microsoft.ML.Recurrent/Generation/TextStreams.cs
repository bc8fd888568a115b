using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>
/// A corpus as B parallel streams for truncated BPTT: the end-of-text symbol, then every text's symbols each
/// followed by the end-of-text symbol (so every text is read after one, as generation primes with it, and every
/// text's end is predicted), concatenated, cut into B equal contiguous streams, and read in windows of T steps. Window k
/// holds steps [kT, kT + T) of every stream (the last window may be shorter); its inputs are those symbols
/// and its targets the ones after them, so consecutive windows continue each other and a model carries its
/// state from one to the next. Rows are packed time-major like every batch (row t*B + b).
/// </summary>
internal sealed class TextStreams
{
    private readonly int[] _symbols;
    private readonly SequenceLayout _full, _last;

    public TextStreams(IEnumerable<int[]> texts, int streams, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var all = new List<int> { SymbolVocabulary.EndOfText };
        foreach (int[] text in texts)
        {
            all.AddRange(text);
            all.Add(SymbolVocabulary.EndOfText);
        }
        if (all.Count < 3) throw new InvalidOperationException("The text holds no symbol to learn from (every row is empty).");
        _symbols = [.. all];
        // Each stream needs at least two symbols (one input and its target).
        Streams = Math.Min(streams, _symbols.Length / 2);
        StreamLength = _symbols.Length / Streams;
        Window = window;
        Windows = (StreamLength - 1 + window - 1) / window;
        _full = SequenceLayout.FromSortedLengths(Enumerable.Repeat(Math.Min(window, StreamLength - 1), Streams).ToArray());
        int lastLength = StreamLength - 1 - (Windows - 1) * window;
        _last = SequenceLayout.FromSortedLengths(Enumerable.Repeat(lastLength, Streams).ToArray());
    }

    /// <summary>B (fewer than asked when the text is too short for that many).</summary>
    public int Streams { get; }

    /// <summary>T, the steps of a full window.</summary>
    public int Window { get; }

    /// <summary>Symbols per stream.</summary>
    public int StreamLength { get; }

    /// <summary>Windows per pass.</summary>
    public int Windows { get; }

    /// <summary>Every symbol predicted in one pass (B * (StreamLength - 1)).</summary>
    public long Targets => (long)Streams * (StreamLength - 1);

    /// <summary>The layout of window <paramref name="k"/>.</summary>
    public SequenceLayout Layout(int k) => k == Windows - 1 ? _last : _full;

    /// <summary>Writes window <paramref name="k"/>'s inputs and targets, [N] each, packed.</summary>
    public void Fill(int k, Span<int> inputs, Span<int> targets)
    {
        SequenceLayout layout = Layout(k);
        for (int t = 0; t < layout.MaxLength; t++)
            for (int b = 0; b < Streams; b++)
            {
                int source = b * StreamLength + k * Window + t, row = layout.Row(t, b);
                inputs[row] = _symbols[source];
                targets[row] = _symbols[source + 1];
            }
    }
}
