namespace Microsoft.ML.Recurrent.Samples.Seq2Seq;

/// <summary>One pair as ML.NET reads it.</summary>
internal sealed class PairRow
{
    public string Source { get; set; } = "";

    public string Target { get; set; } = "";
}
