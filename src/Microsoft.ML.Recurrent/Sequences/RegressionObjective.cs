using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>
/// Regression of one value per sequence with squared error. The network learns standardized
/// targets, (y - mean) / scale with the training labels' mean and standard deviation, and the Score
/// column maps its output back to label units.
/// </summary>
internal sealed class RegressionObjective : SequenceObjective
{
    /// <summary>Creates the objective with the label standardization.</summary>
    public RegressionObjective(float labelMean, float labelScale)
    {
        if (!float.IsFinite(labelMean)) throw new ArgumentOutOfRangeException(nameof(labelMean), labelMean, "The label mean must be finite.");
        if (!(labelScale > 0 && float.IsFinite(labelScale))) throw new ArgumentOutOfRangeException(nameof(labelScale), labelScale, "The label scale must be positive and finite.");
        LabelMean = labelMean;
        LabelScale = labelScale;
    }

    /// <summary>Mean of the training labels.</summary>
    public float LabelMean { get; }

    /// <summary>Standard deviation of the training labels (1 when they are constant).</summary>
    public float LabelScale { get; }

    public override int OutputSize => 1;

    public override string MetricName => "RMSE";

    public override bool HigherIsBetter => false;

    public override DataViewSchema OutputColumns { get; } = CreateColumns();

    private static DataViewSchema CreateColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Score", NumberDataViewType.Single);
        return builder.ToSchema();
    }

    public static void CheckLabel(DataViewSchema.Column column)
    {
        if (column.Type != NumberDataViewType.Single) throw LabelTypeError(column, "Single labels");
    }

    /// <summary>Reads raw label values, checking that each is finite.</summary>
    public static Func<long, float> CreateRawLabelReader(DataViewRow row, DataViewSchema.Column column)
    {
        CheckLabel(column);
        ValueGetter<float> getter = row.GetGetter<float>(column);
        float value = 0;
        return position =>
        {
            getter(ref value);
            if (!float.IsFinite(value)) throw new InvalidDataException($"Row {position} of label column '{column.Name}' is {value}; regression labels must be finite.");
            return value;
        };
    }

    public override Func<long, float> CreateLabelReader(DataViewRow row, DataViewSchema.Column column)
    {
        Func<long, float> raw = CreateRawLabelReader(row, column);
        return position => (raw(position) - LabelMean) / LabelScale;
    }

    public override double Loss(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, Span<float> gradient) =>
        MeanSquaredError.Compute(scores, targets, gradient);

    public override double MetricSum(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets)
    {
        double sum = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            double error = (scores[i] - targets[i]) * (double)LabelScale;
            sum += error * error;
        }
        return sum;
    }

    public override double FinishMetric(double sum, long count) => Math.Sqrt(base.FinishMetric(sum, count));

    public override Delegate CreateGetter(int index, Func<float[]> scores) =>
        (ValueGetter<float>)((ref float value) => value = scores()[0] * LabelScale + LabelMean);
}
