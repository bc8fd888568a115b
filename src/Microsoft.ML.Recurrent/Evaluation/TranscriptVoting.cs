namespace Microsoft.ML.Recurrent;

/// <summary>
/// Combines several transcripts of one utterance (from several systems, or from one system on several versions of the audio,
/// e.g. played at other speeds) by word voting in the manner of ROVER (Fiscus 1997), aligned to the first transcript (the
/// pivot): each of the pivot's words is replaced by the word (or the absence of a word) most of the transcripts put in
/// its place, and words the pivot lacks are kept where most transcripts have them. Ties go to the pivot's choice, then
/// to the earliest transcript's.
/// </summary>
public static class TranscriptVoting
{
    /// <summary>
    /// The voted transcript of <paramref name="transcripts"/> (space-separated words; the first is the pivot), words joined
    /// by single spaces. One transcript comes back normalized to single spaces.
    /// </summary>
    public static string Combine(IReadOnlyList<string> transcripts)
    {
        ArgumentNullException.ThrowIfNull(transcripts);
        if (transcripts.Count == 0) throw new ArgumentException("There are no transcripts to combine.", nameof(transcripts));
        string[][] words = [.. transcripts.Select((t, i) => t?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            ?? throw new ArgumentException($"Transcript {i} is null.", nameof(transcripts)))];
        string[] pivot = words[0];
        // slots[k]: what each transcript puts in the pivot's word k ("" for nothing); gaps[k]: the words it inserts before
        // pivot word k (k = pivot.Length: after the last), joined, "" for none.
        var slots = new List<string>[pivot.Length];
        var gaps = new List<string>[pivot.Length + 1];
        for (int k = 0; k < pivot.Length; k++) slots[k] = [];
        for (int k = 0; k <= pivot.Length; k++) gaps[k] = [];
        foreach (string[] hypothesis in words)
        {
            int position = 0;
            var inserted = new List<string>();
            foreach (AlignedToken pair in EditDistance.Align(pivot, hypothesis).Alignment)
            {
                if (pair.Operation == EditOperation.Insertion) { inserted.Add(pair.Hypothesis!); continue; }
                gaps[position].Add(string.Join(' ', inserted));
                inserted.Clear();
                slots[position++].Add(pair.Hypothesis ?? "");
            }
            gaps[position].Add(string.Join(' ', inserted));
        }
        var result = new List<string>();
        for (int k = 0; k <= pivot.Length; k++)
        {
            result.Add(Majority(gaps[k]));
            if (k < pivot.Length) result.Add(Majority(slots[k]));
        }
        return string.Join(' ', result.Where(w => w.Length > 0));
    }

    /// <summary>The most frequent choice; among equals, the one met first (the pivot's is met first).</summary>
    private static string Majority(List<string> choices) =>
        choices.GroupBy(c => c).OrderByDescending(g => g.Count()).First().Key;
}
