using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Translation;

/// <summary>One training pair of symbol ids.</summary>
internal sealed record SymbolPair(int[] Source, int[] Target);

/// <summary>
/// Pairs in memory as mini-batches. Shuffled passes sort each chunk of <c>bufferSize</c> pairs by source length before
/// cutting it into batches and then shuffle the batches, so a batch holds sources of similar length (less padding in
/// the attention and the decoder) while every pass still mixes the data.
/// </summary>
internal sealed class SymbolPairs(IReadOnlyList<SymbolPair> pairs) : IExampleSource<SymbolPair>
{
    public int Count => pairs.Count;

    public IEnumerable<IReadOnlyList<SymbolPair>> Batches(int batchSize, Random? shuffle, int bufferSize)
    {
        int[] order = [.. Enumerable.Range(0, pairs.Count)];
        if (shuffle is null)
        {
            for (int start = 0; start < order.Length; start += batchSize) yield return [.. order.Skip(start).Take(batchSize).Select(i => pairs[i])];
            yield break;
        }
        shuffle.Shuffle(order);
        int chunk = Math.Max(batchSize, bufferSize);
        var batches = new List<SymbolPair[]>();
        for (int start = 0; start < order.Length; start += chunk)
        {
            SymbolPair[] sorted = [.. order.Skip(start).Take(chunk).Select(i => pairs[i]).OrderBy(p => p.Source.Length)];
            for (int b = 0; b < sorted.Length; b += batchSize) batches.Add(sorted[b..Math.Min(sorted.Length, b + batchSize)]);
        }
        SymbolPair[][] shuffled = [.. batches];
        shuffle.Shuffle(shuffled);
        foreach (SymbolPair[] batch in shuffled) yield return batch;
    }
}
