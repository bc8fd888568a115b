using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Tests.Persistence;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Onnx;

/// <summary>Exported sequence models run in ONNX Runtime and give the transformer's outputs on variable-length batches.</summary>
[TestClass]
public sealed class SequenceModelOnnxTests
{
    private const float Tolerance = 1e-5f;

    private static byte[] Export(MLContext ml, ITransformer model)
    {
        using var stream = new MemoryStream();
        ml.Model.ConvertRecurrentToOnnx(model, stream);
        return stream.ToArray();
    }

    [TestMethod]
    [DataRow(CellType.Lstm, true, 2, SequencePooling.LastState)]
    [DataRow(CellType.Gru, true, 1, SequencePooling.Mean)]
    [DataRow(CellType.GruResetBefore, false, 2, SequencePooling.Max)]
    public void AMulticlassTokenModelMatchesOnnxRuntime(CellType cell, bool bidirectional, int layers, SequencePooling pooling)
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(FirstWord(60, 1));
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions
            { Cell = cell, Bidirectional = bidirectional, NumberOfLayers = layers, Pooling = pooling, HiddenSize = 6, EmbeddingSize = 5, NumberOfEpochs = 2, Seed = 1 }));
        var model = pipeline.Fit(data);
        IDataView scored = model.Transform(data);
        Dictionary<string, float[]> onnx = OnnxRunner.Run(Export(ml, model), scored, "Features");
        float[] ours = [.. scored.GetColumn<float[]>("Score").SelectMany(v => v)];
        Assert.IsLessThanOrEqualTo(Tolerance, OnnxRunner.MaxError(ours, onnx["Score"]), $"{cell}: class probabilities");
        CollectionAssert.AreEqual(scored.GetColumn<uint>("PredictedLabel").Select(v => (float)v).ToArray(), onnx["PredictedLabel"]);
    }

    [TestMethod]
    [DataRow(CellType.Gru, SequencePooling.Mean)]
    [DataRow(CellType.ElmanTanh, SequencePooling.LastState)]
    [DataRow(CellType.ElmanRelu, SequencePooling.Max)]
    [DataRow(CellType.PeepholeLstm, SequencePooling.LastState)]
    [DataRow(CellType.Lstm, SequencePooling.Max)]
    public void ABinaryFrameModelMatchesOnnxRuntime(CellType cell, SequencePooling pooling)
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(50, 2));
        var model = ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions
        { Cell = cell, Pooling = pooling, Bidirectional = cell != CellType.PeepholeLstm, HiddenSize = 5, NumberOfEpochs = 2, Seed = 2 }).Fit(data);
        IDataView scored = model.Transform(data);
        Dictionary<string, float[]> onnx = OnnxRunner.Run(Export(ml, model), scored, "Features");
        Assert.IsLessThanOrEqualTo(Tolerance, OnnxRunner.MaxError([.. scored.GetColumn<float>("Score")], onnx["Score"]), $"{cell}: logits");
        Assert.IsLessThanOrEqualTo(Tolerance, OnnxRunner.MaxError([.. scored.GetColumn<float>("Probability")], onnx["Probability"]), $"{cell}: probabilities");
        CollectionAssert.AreEqual(scored.GetColumn<bool>("PredictedLabel").Select(v => v ? 1f : 0f).ToArray(), onnx["PredictedLabel"]);
    }

    [TestMethod]
    public void ARegressionModelMatchesOnnxRuntimeInLabelUnits()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(Windows(40, 3));
        var model = ml.Regression.Trainers.Recurrent(new RecurrentTrainerOptions { Cell = CellType.Gru, NumberOfLayers = 2, HiddenSize = 4, NumberOfEpochs = 2, Seed = 3 }).Fit(data);
        IDataView scored = model.Transform(data);
        Dictionary<string, float[]> onnx = OnnxRunner.Run(Export(ml, model), scored, "Features");
        Assert.IsLessThanOrEqualTo(Tolerance, OnnxRunner.MaxError([.. scored.GetColumn<float>("Score")], onnx["Score"]));
    }

    [TestMethod]
    public void AModelTheExportDoesNotCoverIsRefusedByName()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new { Text = "to be or not to be" } });
        var lm = ml.Transforms.Text.LanguageModel(new LanguageModelOptions { HiddenSize = 3, EmbeddingSize = 3, NumberOfEpochs = 1, SequenceLength = 4, BatchSize = 2 }).Fit(data);
        var e = Assert.ThrowsExactly<NotSupportedException>(() => Export(ml, lm));
        StringAssert.Contains(e.Message, "LanguageModelTransformer cannot be exported");
        var none = Assert.ThrowsExactly<NotSupportedException>(() => Export(ml, ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text").Fit(data)));
        StringAssert.Contains(none.Message, "no Microsoft.ML.Recurrent model");
    }
}
