using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>Binary classification: one logit, sigmoid cross-entropy; outputs Score (logit), Probability and PredictedLabel.</summary>
internal sealed class BinaryObjective : SequenceObjective
{
    public override int OutputSize => 1;

    public override string MetricName => "accuracy";

    public override bool HigherIsBetter => true;

    public override DataViewSchema OutputColumns { get; } = CreateColumns();

    private static DataViewSchema CreateColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Score", NumberDataViewType.Single);
        builder.AddColumn("Probability", NumberDataViewType.Single);
        builder.AddColumn("PredictedLabel", BooleanDataViewType.Instance);
        return builder.ToSchema();
    }

    public static void CheckLabel(DataViewSchema.Column column)
    {
        if (column.Type != BooleanDataViewType.Instance) throw LabelTypeError(column, "Boolean labels");
    }

    public override Func<long, float> CreateLabelReader(DataViewRow row, DataViewSchema.Column column)
    {
        CheckLabel(column);
        ValueGetter<bool> getter = row.GetGetter<bool>(column);
        bool value = false;
        return _ => { getter(ref value); return value ? 1f : 0f; };
    }

    public override double Loss(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, Span<float> gradient) =>
        BinaryCrossEntropy.Compute(scores, targets, gradient);

    public override double MetricSum(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets)
    {
        int correct = 0;
        for (int i = 0; i < scores.Length; i++) if ((scores[i] > 0) == (targets[i] > 0.5f)) correct++;
        return correct;
    }

    public override Delegate CreateGetter(int index, Func<float[]> scores) => index switch
    {
        0 => (ValueGetter<float>)((ref float value) => value = scores()[0]),
        1 => (ValueGetter<float>)((ref float value) => value = (float)BinaryCrossEntropy.Sigmoid(scores()[0])),
        _ => (ValueGetter<bool>)((ref bool value) => value = scores()[0] > 0),
    };
}
