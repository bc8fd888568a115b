namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// One training sequence read from a row: token ids or frames, and its targets. Every task family
/// uses this one type: many-to-one models read <see cref="Target"/>; taggers and language models a
/// label per step (<see cref="Labels"/> as long as the input); CTC a transcript and seq2seq a target
/// sequence of their own length (<see cref="Labels"/>).
/// </summary>
/// <param name="Row">Row number in the source data (for error messages).</param>
/// <param name="Length">Number of steps T.</param>
/// <param name="Ids">T token ids, or null for frames.</param>
/// <param name="Frames">T*F floats, or null for tokens.</param>
/// <param name="Target">One label as a number (0/1, class index, or regression value); 0 when the family has none.</param>
/// <param name="Labels">A label sequence (a tag per step, a transcript, a target sentence), or null.</param>
/// <param name="Parts">Per step, a sequence of its own (the characters of each word), or null.</param>
internal sealed record SequenceExample(long Row, int Length, int[]? Ids, float[]? Frames, float Target, int[]? Labels = null, int[][]? Parts = null);
