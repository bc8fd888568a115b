namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>
/// What a many-to-one model predicts: how labels are read, the loss and validation metric, and
/// which output columns (with ML.NET's names and types) the scores become.
/// </summary>
internal abstract class SequenceObjective
{
    /// <summary>Scores per sequence produced by the network.</summary>
    public abstract int OutputSize { get; }

    /// <summary>Name of the validation metric.</summary>
    public abstract string MetricName { get; }

    /// <summary>Whether a larger metric is better.</summary>
    public abstract bool HigherIsBetter { get; }

    /// <summary>The output columns appended by the transformer.</summary>
    public abstract DataViewSchema OutputColumns { get; }

    /// <summary>A function reading the label of the current row of <paramref name="row"/> as a training target.</summary>
    /// <exception cref="InvalidDataException">A label is missing, NaN or not a known class (names column, row and value).</exception>
    public abstract Func<long, float> CreateLabelReader(DataViewRow row, DataViewSchema.Column column);

    /// <summary>Mean loss of a batch and its gradient with respect to the scores [B, O].</summary>
    public abstract double Loss(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, Span<float> gradient);

    /// <summary>Sum over the batch of the per-example metric term (correct predictions, squared error).</summary>
    public abstract double MetricSum(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets);

    /// <summary>The metric from a <see cref="MetricSum"/> total over <paramref name="count"/> examples.</summary>
    public virtual double FinishMetric(double sum, long count) => count == 0 ? double.NaN : sum / count;

    /// <summary>The getter of output column <paramref name="index"/>, reading one sequence's raw scores.</summary>
    public abstract Delegate CreateGetter(int index, Func<float[]> scores);

    /// <summary>A clear error for a label column of the wrong type.</summary>
    protected static ArgumentOutOfRangeException LabelTypeError(DataViewSchema.Column column, string expected) =>
        new("schema", $"The label column '{column.Name}' has type {column.Type}; this trainer needs {expected}.");
}
