using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Engine.Losses;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>
/// Multiclass classification over the K values of a key-typed label (key k is class k - 1):
/// softmax cross-entropy; outputs Score (the K class probabilities) and PredictedLabel (a key of
/// the label's type, carrying the label's key values so MapKeyToValue works downstream).
/// </summary>
internal sealed class MulticlassObjective : SequenceObjective
{
    private int[] _labels = [];

    /// <summary>Creates the objective for <paramref name="classCount"/> classes, optionally named.</summary>
    public MulticlassObjective(int classCount, IReadOnlyList<string>? classNames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (classNames is not null && classNames.Count != classCount)
            throw new ArgumentException($"{classNames.Count} class names for {classCount} classes.", nameof(classNames));
        ClassCount = classCount;
        ClassNames = classNames?.ToArray();
        OutputColumns = CreateColumns();
    }

    /// <summary>K.</summary>
    public int ClassCount { get; }

    /// <summary>The label's key values (class k - 1 is key k), when it has text key values.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    public override int OutputSize => ClassCount;

    public override string MetricName => "accuracy";

    public override bool HigherIsBetter => true;

    public override DataViewSchema OutputColumns { get; }

    /// <summary>Reads the class count and key values of a key-typed label column.</summary>
    public static MulticlassObjective FromLabel(DataViewSchema.Column column)
    {
        CheckLabel(column);
        int count = (int)((KeyDataViewType)column.Type).Count;
        string[]? names = null;
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.Annotations.GetValue("KeyValues", ref values);
            if (values.Length == count) names = values.DenseValues().Select(v => v.ToString()).ToArray();
        }
        return new MulticlassObjective(count, names);
    }

    public static void CheckLabel(DataViewSchema.Column column)
    {
        if (column.Type is not KeyDataViewType key || key.RawType != typeof(uint) || key.Count < 2 || key.Count >= int.MaxValue)
            throw LabelTypeError(column, "a UInt32 key label with at least 2 values (e.g. MapValueToKey on the label), as ML.NET's multiclass trainers do");
    }

    private DataViewSchema CreateColumns()
    {
        var score = new DataViewSchema.Annotations.Builder();
        var predicted = new DataViewSchema.Annotations.Builder();
        if (ClassNames is not null)
        {
            ValueGetter<VBuffer<ReadOnlyMemory<char>>> names = (ref VBuffer<ReadOnlyMemory<char>> value) =>
                value = new VBuffer<ReadOnlyMemory<char>>(ClassCount, ClassNames.Select(n => n.AsMemory()).ToArray());
            var namesType = new VectorDataViewType(TextDataViewType.Instance, ClassCount);
            score.Add("SlotNames", namesType, names);
            predicted.Add("KeyValues", namesType, names);
        }
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Score", new VectorDataViewType(NumberDataViewType.Single, ClassCount), score.ToAnnotations());
        builder.AddColumn("PredictedLabel", new KeyDataViewType(typeof(uint), ClassCount), predicted.ToAnnotations());
        return builder.ToSchema();
    }

    public override Func<long, float> CreateLabelReader(DataViewRow row, DataViewSchema.Column column)
    {
        CheckLabel(column);
        if (((KeyDataViewType)column.Type).Count != (ulong)ClassCount)
            throw new ArgumentOutOfRangeException("schema", $"The label column '{column.Name}' has {((KeyDataViewType)column.Type).Count} key values; the model was trained on {ClassCount}.");
        ValueGetter<uint> getter = row.GetGetter<uint>(column);
        uint key = 0;
        return position =>
        {
            getter(ref key);
            if (key == 0 || key > ClassCount)
                throw new InvalidDataException($"Row {position} of label column '{column.Name}' is key {key}, which is missing or not one of the {ClassCount} classes seen in training.");
            return key - 1;
        };
    }

    public override double Loss(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        if (_labels.Length < targets.Length) _labels = new int[targets.Length];
        int[] labels = _labels;
        for (int i = 0; i < targets.Length; i++) labels[i] = (int)targets[i];
        return SoftmaxCrossEntropy.Compute(scores, ClassCount, labels.AsSpan(0, targets.Length), gradient);
    }

    public override double MetricSum(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets)
    {
        int correct = 0;
        for (int i = 0; i < targets.Length; i++)
            if (ArgMax(scores.Slice(i * ClassCount, ClassCount)) == (int)targets[i]) correct++;
        return correct;
    }

    public override Delegate CreateGetter(int index, Func<float[]> scores) => index switch
    {
        0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var editor = VBufferEditor.Create(ref value, ClassCount);
            System.Numerics.Tensors.TensorPrimitives.SoftMax(scores(), editor.Values);
            value = editor.Commit();
        }),
        _ => (ValueGetter<uint>)((ref uint value) => value = (uint)ArgMax(scores()) + 1),
    };

    private static int ArgMax(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(values);
}
