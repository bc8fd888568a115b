using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Memory;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A Hopfield associative memory. <c>Transform</c> starts the network from each row's pattern (a fragment or a
/// noisy copy) and appends <c>Recalled</c> (the state it settles in), <c>Energy</c>, <c>Iterations</c> (sweeps
/// or retrieval steps) and <c>MatchedPattern</c> (the 0-based row of the stored pattern it equals, -1 for a
/// spurious state).
/// </summary>
public sealed class HopfieldMemoryTransformer : AppendingTransformer
{
    internal HopfieldMemoryTransformer(HopfieldMemory memory) => Memory = memory;

    internal HopfieldMemory Memory { get; }

    /// <summary>The pattern column read.</summary>
    public string InputColumnName => Memory.Options.InputColumnName;

    /// <summary>N, the neurons (the pattern size).</summary>
    public int Size => Memory.Size;

    /// <summary>The stored patterns in row order (binarized to +-1 for the classic network).</summary>
    public IReadOnlyList<float[]> Patterns => Memory.Patterns;

    /// <summary>Recalls from one pattern directly (row 0's seed).</summary>
    public (float[] Recalled, float Energy, int Iterations, int MatchedPattern) Recall(float[] start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.Length != Size) throw new ArgumentException($"The start holds {start.Length} values; the memory has {Size}.", nameof(start));
        float[] state = Memory.Options.Kind == HopfieldMemoryKind.Binary ? [.. start.Select(v => v > 0 ? 1f : -1f)] : start;
        return Memory.Recall(state, 0);
    }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new HopfieldAppender(this, inputSchema);

    /// <summary>The output columns for patterns of <paramref name="size"/> values (0: unknown yet).</summary>
    internal static DataViewSchema OutputColumns(int size)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Recalled", new VectorDataViewType(NumberDataViewType.Single, size));
        builder.AddColumn("Energy", NumberDataViewType.Single);
        builder.AddColumn("Iterations", NumberDataViewType.Int32);
        builder.AddColumn("MatchedPattern", NumberDataViewType.Int32);
        return builder.ToSchema();
    }
}
