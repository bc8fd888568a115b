using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Sequences;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Sequences;

/// <summary>Bad input gets an exception that names the column, the row and the value; nothing trains into NaN silently.</summary>
[TestClass]
public sealed class SequenceTrainerErrorTests
{
    private static readonly RecurrentTrainerOptions Small = new() { HiddenSize = 4, NumberOfEpochs = 1 };

    [TestMethod]
    public void MissingFeatureColumnIsNamed()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(10, 1));
        var trainer = ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { FeatureColumnName = "Frames" });
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        StringAssert.Contains(error.Message, "'Frames' is not in the input schema");
    }

    [TestMethod]
    public void WrongLabelTypeIsExplained()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(Windows(10, 1));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.Recurrent(Small).Fit(data));
        StringAssert.Contains(error.Message, "label column 'Label' has type Single");
        StringAssert.Contains(error.Message, "Boolean");
    }

    [TestMethod]
    public void TextFeatureColumnIsRejectedWithTheFixInTheMessage()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(FirstWord(10, 1));
        var trainer = ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions { FeatureColumnName = "Text" });
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        StringAssert.Contains(error.Message, "'Text' has type String");
        StringAssert.Contains(error.Message, "MapValueToKey");
    }

    [TestMethod]
    public void EmptySequenceNamesItsRow()
    {
        var ml = new MLContext(1);
        SignRow[] rows = SignOfSum(10, 1);
        rows[6].Features = [];
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ml.BinaryClassification.Trainers.Recurrent(Small).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, "Row 6 of column 'Features' is an empty sequence");
    }

    [TestMethod]
    public void NaNFeatureNamesRowStepAndValue()
    {
        var ml = new MLContext(1);
        SignRow[] rows = SignOfSum(10, 1);
        rows[4].Features[1] = float.NaN;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ml.BinaryClassification.Trainers.Recurrent(Small).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, "Row 4 of column 'Features' has NaN at index 1");
    }

    [TestMethod]
    public void NaNFeatureAtPredictionTimeIsAnErrorNotANaNScore()
    {
        var ml = new MLContext(1);
        RecurrentSequenceTransformer model = ml.BinaryClassification.Trainers.Recurrent(Small).Fit(ml.Data.LoadFromEnumerable(SignOfSum(20, 1)));
        SignRow[] rows = SignOfSum(3, 2);
        rows[2].Features[0] = float.PositiveInfinity;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray());
        StringAssert.Contains(error.Message, "Row 2 of column 'Features' has Infinity at index 0");
    }

    [TestMethod]
    public void UnseenLabelNamesRowAndKey()
    {
        var ml = new MLContext(1);
        TextRow[] rows = FirstWord(30, 1);
        IDataView known = ml.Data.LoadFromEnumerable(new[] { new LabelOnly("red"), new LabelOnly("green") });
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", keyData: known));
        IDataView featurized = pipeline.Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        int firstBlue = Array.FindIndex(rows, r => r.Label == "blue");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ml.MulticlassClassification.Trainers.Recurrent(Small).Fit(featurized));
        StringAssert.Contains(error.Message, $"Row {firstBlue} of label column 'Label' is key 0");
    }

    [TestMethod]
    public void DivergenceStopsWithAClearMessage()
    {
        var ml = new MLContext(1);
        var options = new RecurrentTrainerOptions { HiddenSize = 8, NumberOfEpochs = 3, Optimizer = RecurrentOptimizer.Sgd, LearningRate = 1e12f, GradientClipNorm = 0, Cell = CellType.ElmanRelu };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Regression.Trainers.Recurrent(options).Fit(ml.Data.LoadFromEnumerable(Windows(200, 1))));
        StringAssert.Contains(error.Message, "Training diverged");
        StringAssert.Contains(error.Message, "LearningRate");
    }

    [TestMethod]
    public void CancellationStopsTraining()
    {
        var ml = new MLContext(1);
        using var source = new CancellationTokenSource();
        source.Cancel();
        var options = new RecurrentTrainerOptions { HiddenSize = 4, CancellationToken = source.Token };
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.BinaryClassification.Trainers.Recurrent(options).Fit(ml.Data.LoadFromEnumerable(SignOfSum(20, 1))));
    }

    [TestMethod]
    public void OptionsOutOfRangeAreNamed()
    {
        var ml = new MLContext(1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { Dropout = 1f }));
        Assert.AreEqual("Dropout", error.ParamName);
    }

    [TestMethod]
    public void SavingThroughMLNetSaysItIsNotSupported()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(20, 1));
        RecurrentSequenceTransformer model = ml.BinaryClassification.Trainers.Recurrent(Small).Fit(data);
        using var stream = new MemoryStream();
        var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.Save(model, data.Schema, stream));
        StringAssert.Contains(error.Message, "mlContext.Model.Save cannot store Microsoft.ML.Recurrent transformers");
    }

    [TestMethod]
    public void ModelAppliedToADifferentlyShapedColumnSaysSo()
    {
        var ml = new MLContext(1);
        RecurrentSequenceTransformer model = ml.Regression.Trainers.Recurrent(Small).Fit(ml.Data.LoadFromEnumerable(Windows(20, 1)));
        IDataView text = ml.Data.LoadFromEnumerable(FirstWord(5, 1));
        IDataView tokens = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens")).Fit(text).Transform(text);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(tokens));
        StringAssert.Contains(error.Message, "does not match what the model was trained on");
    }
}

/// <summary>A one-column view of label values (MapValueToKey's keyData).</summary>
public sealed record LabelOnly(string Label);
