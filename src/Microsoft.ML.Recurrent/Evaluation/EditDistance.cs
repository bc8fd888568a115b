namespace Microsoft.ML.Recurrent;

/// <summary>One step of an alignment between a reference and a hypothesis.</summary>
public enum EditOperation
{
    /// <summary>The tokens are equal.</summary>
    Match,
    /// <summary>The hypothesis has another token in the reference token's place.</summary>
    Substitution,
    /// <summary>The reference token is missing from the hypothesis.</summary>
    Deletion,
    /// <summary>The hypothesis has a token the reference lacks.</summary>
    Insertion,
}

/// <summary>One aligned pair: the reference token (null for an insertion) and the hypothesis token (null for a deletion).</summary>
public readonly record struct AlignedToken(EditOperation Operation, string? Reference, string? Hypothesis);

/// <summary>
/// Levenshtein alignment of two token sequences with unit costs (as WER, CER and PER count errors): the substitution,
/// deletion and insertion counts of a minimal alignment and the alignment itself. Among minimal alignments the
/// backtrace prefers a match or substitution, then a deletion, then an insertion, so the result is deterministic.
/// </summary>
/// <param name="Substitutions">S.</param>
/// <param name="Deletions">D.</param>
/// <param name="Insertions">I.</param>
/// <param name="ReferenceLength">N, the reference's tokens.</param>
/// <param name="Alignment">The aligned pairs in order.</param>
public sealed record EditDistance(int Substitutions, int Deletions, int Insertions, int ReferenceLength, IReadOnlyList<AlignedToken> Alignment)
{
    /// <summary>S + D + I.</summary>
    public int Errors => Substitutions + Deletions + Insertions;

    /// <summary>Aligns <paramref name="hypothesis"/> to <paramref name="reference"/>.</summary>
    public static EditDistance Align(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);
        int n = reference.Count, m = hypothesis.Count;
        int[,] cost = new int[n + 1, m + 1];
        for (int i = 0; i <= n; i++) cost[i, 0] = i;
        for (int j = 0; j <= m; j++) cost[0, j] = j;
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= m; j++)
                cost[i, j] = Math.Min(cost[i - 1, j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1), Math.Min(cost[i - 1, j] + 1, cost[i, j - 1] + 1));
        var alignment = new List<AlignedToken>();
        int s = 0, d = 0, ins = 0;
        for (int i = n, j = m; i > 0 || j > 0;)
        {
            if (i > 0 && j > 0 && cost[i, j] == cost[i - 1, j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1))
            {
                bool same = reference[i - 1] == hypothesis[j - 1];
                if (!same) s++;
                alignment.Add(new(same ? EditOperation.Match : EditOperation.Substitution, reference[i - 1], hypothesis[j - 1]));
                i--; j--;
            }
            else if (i > 0 && cost[i, j] == cost[i - 1, j] + 1)
            {
                d++;
                alignment.Add(new(EditOperation.Deletion, reference[i - 1], null));
                i--;
            }
            else
            {
                ins++;
                alignment.Add(new(EditOperation.Insertion, null, hypothesis[j - 1]));
                j--;
            }
        }
        alignment.Reverse();
        return new EditDistance(s, d, ins, n, alignment);
    }
}
