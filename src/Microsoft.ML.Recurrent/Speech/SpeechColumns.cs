using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent.Speech;

/// <summary>The columns a speech recognizer reads (frames) and adds (text, symbols, optionally spike frames).</summary>
/// <param name="Features">The frames column.</param>
/// <param name="Text">The recognized text column.</param>
/// <param name="Tokens">The recognized symbols column (key vector).</param>
/// <param name="Times">The spike frames column, or null.</param>
internal sealed record SpeechColumns(string Features, string Text, string Tokens, string? Times)
{
    /// <summary>The added columns for a vocabulary of <paramref name="size"/> ids and its symbols.</summary>
    public DataViewSchema OutputSchema(int size, IReadOnlyList<string>? symbols)
    {
        var builder = new DataViewSchema.Builder();
        StepColumns.AddText(builder, Text);
        StepColumns.AddKeyVector(builder, Tokens, size, symbols);
        if (Times is not null) builder.AddColumn(Times, new VectorDataViewType(NumberDataViewType.Int32));
        return builder.ToSchema();
    }
}
