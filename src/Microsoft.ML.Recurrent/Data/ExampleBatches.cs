namespace Microsoft.ML.Recurrent.Data;

/// <summary>Groups a stream of examples into mini-batches, shuffled within a bounded buffer so large data never has to fit in memory.</summary>
internal static class ExampleBatches
{
    /// <summary>
    /// Mini-batches of at most <paramref name="batchSize"/> examples: in stream order when <paramref name="shuffle"/>
    /// is null, otherwise shuffled within chunks of <paramref name="bufferSize"/>.
    /// </summary>
    public static IEnumerable<IReadOnlyList<T>> From<T>(IEnumerable<T> examples, int batchSize, Random? shuffle, int bufferSize)
    {
        var buffer = new List<T>(Math.Min(bufferSize, 1 << 16));
        foreach (T example in examples)
        {
            buffer.Add(example);
            if (buffer.Count < bufferSize) continue;
            foreach (IReadOnlyList<T> batch in Split(buffer, batchSize, shuffle)) yield return batch;
            buffer.Clear();
        }
        foreach (IReadOnlyList<T> batch in Split(buffer, batchSize, shuffle)) yield return batch;
    }

    private static IEnumerable<IReadOnlyList<T>> Split<T>(List<T> buffer, int batchSize, Random? shuffle)
    {
        if (shuffle is not null)
        {
            for (int i = buffer.Count - 1; i > 0; i--)
            {
                int j = shuffle.Next(i + 1);
                (buffer[i], buffer[j]) = (buffer[j], buffer[i]);
            }
        }
        for (int start = 0; start < buffer.Count; start += batchSize)
            yield return buffer.GetRange(start, Math.Min(batchSize, buffer.Count - start));
    }
}
