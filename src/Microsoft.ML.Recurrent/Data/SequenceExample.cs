namespace Microsoft.ML.Recurrent.Data;

/// <summary>One training sequence read from a row: token ids or frames, and its target.</summary>
/// <param name="Row">Row number in the source data (for error messages).</param>
/// <param name="Length">Number of steps T.</param>
/// <param name="Ids">T token ids, or null for frames.</param>
/// <param name="Frames">T*F floats, or null for tokens.</param>
/// <param name="Target">The label as a number (0/1, class index, or regression value).</param>
internal sealed record SequenceExample(long Row, int Length, int[]? Ids, float[]? Frames, float Target);
