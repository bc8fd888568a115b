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

    /// <summary>The README's recipe for ML.NET's ApplyOnnxModel, which feeds fixed-size vectors: pad the keys to T, pass the length.</summary>
    private sealed class PaddedRow
    {
        public const int Time = 12;

        [ColumnName("tokens"), VectorType(Time)]
        public long[] Tokens { get; set; } = new long[Time];

        [ColumnName("lengths")]
        public int Lengths { get; set; }
    }

    [TestMethod]
    public void MLNetsApplyOnnxModelRunsTheExportOnPaddedRows()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(FirstWord(40, 4));
        var featurize = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text").Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(data);
        IDataView keys = featurize.Transform(data);
        var model = ml.MulticlassClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 6, EmbeddingSize = 5, NumberOfEpochs = 2, Seed = 4 }).Fit(keys);
        string path = Path.Combine(Path.GetTempPath(), $"recipe-{Guid.NewGuid():N}.onnx");
        try
        {
            ml.Model.ConvertRecurrentToOnnx(model, path);
            PaddedRow[] padded = [.. keys.GetColumn<VBuffer<uint>>("Features").Select(v =>
            {
                uint[] k = v.DenseValues().ToArray();
                var row = new PaddedRow { Lengths = k.Length };
                for (int t = 0; t < k.Length; t++) row.Tokens[t] = k[t];
                return row;
            })];
            var onnx = ml.Transforms.ApplyOnnxModel(["Score"], ["tokens", "lengths"], path,
                new Dictionary<string, int[]> { ["tokens"] = [1, PaddedRow.Time] }, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100).Fit(ml.Data.LoadFromEnumerable(padded));
            float[] viaMLNet = [.. onnx.Transform(ml.Data.LoadFromEnumerable(padded)).GetColumn<float[]>("Score").SelectMany(v => v)];
            float[] ours = [.. model.Transform(keys).GetColumn<float[]>("Score").SelectMany(v => v)];
            Assert.IsLessThanOrEqualTo(Tolerance, OnnxRunner.MaxError(ours, viaMLNet));
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void TheFileDeclaresIrVersion8AndOpset17AndOnnxRuntimeLoadsIt()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(SignOfSum(20, 5));
        var model = ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 3, NumberOfEpochs = 1 }).Fit(data);
        byte[] bytes = Export(ml, model);
        var fields = new Dictionary<int, List<object>>();
        var input = new Google.Protobuf.CodedInputStream(bytes);
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            int field = Google.Protobuf.WireFormat.GetTagFieldNumber(tag);
            object value = Google.Protobuf.WireFormat.GetTagWireType(tag) == Google.Protobuf.WireFormat.WireType.Varint ? input.ReadInt64() : input.ReadBytes();
            (fields.TryGetValue(field, out var list) ? list : fields[field] = []).Add(value);
        }
        Assert.AreEqual(8L, fields[1].Single(), "ir_version");
        var opset = new Google.Protobuf.CodedInputStream(((Google.Protobuf.ByteString)fields[8].Single()).ToByteArray());
        Assert.AreEqual(Google.Protobuf.WireFormat.MakeTag(1, Google.Protobuf.WireFormat.WireType.LengthDelimited), opset.ReadTag());
        Assert.AreEqual("", opset.ReadString(), "the default domain");
        Assert.AreEqual(Google.Protobuf.WireFormat.MakeTag(2, Google.Protobuf.WireFormat.WireType.Varint), opset.ReadTag());
        Assert.AreEqual(17L, opset.ReadInt64(), "opset version");
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
        CollectionAssert.AreEquivalent(new[] { "frames", "lengths" }, session.InputMetadata.Keys.ToArray());
        CollectionAssert.AreEquivalent(new[] { "Score", "Probability", "PredictedLabel" }, session.OutputMetadata.Keys.ToArray());
        Assert.AreEqual("Microsoft.ML.Recurrent", session.ModelMetadata.ProducerName);
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
