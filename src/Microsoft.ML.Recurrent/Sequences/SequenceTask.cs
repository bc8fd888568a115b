namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>What a recurrent sequence trainer predicts for each sequence.</summary>
internal enum SequenceTask
{
    BinaryClassification,
    MulticlassClassification,
    Regression,
}
