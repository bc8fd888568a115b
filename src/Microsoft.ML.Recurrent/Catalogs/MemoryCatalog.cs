namespace Microsoft.ML.Recurrent;

/// <summary>
/// Hopfield associative memory on ML.NET's transforms, <c>mlContext.Transforms.HopfieldMemory</c>: it stores the rows
/// of a vector column and completes a fragment or a noisy copy to the stored pattern it is nearest.
/// </summary>
public static class MemoryCatalog
{
    /// <summary>An associative memory with every setting given.</summary>
    /// <param name="catalog">The transforms, <c>mlContext.Transforms</c>.</param>
    /// <param name="options">Every setting (see <see cref="HopfieldMemoryOptions"/>).</param>
    /// <example>
    /// <code>
    /// // Rows with a float[] Pixels column of +-1 (or 0/1) values, fixed size.
    /// var memory = ml.Transforms.HopfieldMemory(new HopfieldMemoryOptions { InputColumnName = "Pixels", LearningRule = HopfieldLearningRule.Storkey }).Fit(glyphs);
    /// IDataView recalled = memory.Transform(noisyGlyphs);   // + Recalled, Energy, Iterations, MatchedPattern
    /// </code>
    /// </example>
    public static HopfieldMemoryEstimator HopfieldMemory(this TransformsCatalog catalog, HopfieldMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new HopfieldMemoryEstimator(options);
    }

    /// <summary>A classic binary associative memory (Hebbian, asynchronous) over the column <paramref name="inputColumnName"/>.</summary>
    /// <param name="catalog">The transforms, <c>mlContext.Transforms</c>.</param>
    /// <param name="inputColumnName">The pattern column: a vector of Single of fixed size.</param>
    /// <param name="kind">Classic binary or modern continuous.</param>
    /// <example>
    /// <code>
    /// var memory = ml.Transforms.HopfieldMemory("Pixels").Fit(glyphs);
    /// </code>
    /// </example>
    public static HopfieldMemoryEstimator HopfieldMemory(this TransformsCatalog catalog, string inputColumnName = "Features", HopfieldMemoryKind kind = HopfieldMemoryKind.Binary) =>
        HopfieldMemory(catalog, new HopfieldMemoryOptions { InputColumnName = inputColumnName, Kind = kind });
}
