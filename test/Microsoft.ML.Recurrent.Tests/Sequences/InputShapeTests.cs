using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Sequences;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Sequences;

/// <summary>Shapes that used to be read silently in a way the user did not mean are errors or log notes now.</summary>
[TestClass]
public sealed class InputShapeTests
{
    private sealed class LongWindow
    {
        [VectorType(12)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class VariableRow
    {
        [VectorType] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [TestMethod]
    public void AWindowModelRefusesWindowsOfAnotherLength()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Windows(100, 1)); // windows of 8
        RecurrentSequenceTransformer model = ml.Regression.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 4, NumberOfEpochs = 1 }).Fit(train);
        IDataView longer = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new LongWindow { Features = new float[12], Label = i }));
        var schemaError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.GetOutputSchema(longer.Schema));
        StringAssert.Contains(schemaError.Message, "holds 12 values per row; the model was trained on windows of 8");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(longer));

        // A variable-length column is checked row by row.
        IDataView variable = ml.Data.LoadFromEnumerable(new[] { new VariableRow { Features = new float[8] }, new VariableRow { Features = new float[5] } });
        var rowError = Assert.ThrowsExactly<InvalidDataException>(() => model.Transform(variable).GetColumn<float>("Score").ToArray());
        StringAssert.Contains(rowError.Message, "Row 1 of column 'Features' holds 5 values; the model was trained on windows of 8");
    }

    [TestMethod]
    public void AFrameSizeThatContradictsTheColumnShapeIsAnError()
    {
        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(VariableRow));
        definition[nameof(VariableRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 0, 2);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new VariableRow { Features = new float[6], Label = 1 }, new VariableRow { Features = new float[4] } }, definition);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Recurrent(new RecurrentTrainerOptions { FrameSize = 3, NumberOfEpochs = 1 }).Fit(data));
        StringAssert.Contains(error.Message, "shaped [0, 2], frames of 2 floats, but FrameSize is 3");
    }

    [TestMethod]
    public void APlainVariableColumnIsReadAsOneFloatPerStepAndTheLogSaysSo()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains(nameof(RecurrentSequenceTrainer))) lock (messages) messages.Add(e.Message); };
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(40, 1));
        ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 2, NumberOfEpochs = 1 }).Fit(data);
        Assert.IsTrue(messages.Any(m => m.Contains("each float is one step (FrameSize 1)")), string.Join("\n", messages));
        messages.Clear();
        ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 2, NumberOfEpochs = 1, FrameSize = 1 }).Fit(data);
        Assert.IsFalse(messages.Any(m => m.Contains("each float is one step")), "no note when FrameSize was set");
    }
}
