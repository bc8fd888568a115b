using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Sequences;
using Microsoft.ML.Data;
using static Microsoft.ML.Recurrent.Tests.Sequences.SyntheticSequences;

namespace Microsoft.ML.Recurrent.Tests.Persistence;

/// <summary>Whole pipelines round-trip bit-identically; files are written atomically; ML.NET's own save is refused with directions.</summary>
[TestClass]
public sealed class ModelContainerTests
{
    [TestMethod]
    public void TextPipelineRoundTripsBitIdentically()
    {
        var ml = new MLContext(1);
        (ITransformer model, IDataView data) = ModelFiles.TextPipeline(ml);
        string path = Path.Combine(Path.GetTempPath(), $"text-{Guid.NewGuid():N}.mlrnn");
        try
        {
            ml.Model.SaveRecurrentModel(model, data.Schema, path);
            ITransformer loaded = new MLContext(2).Model.LoadRecurrentModel(path, out DataViewSchema schema);
            CollectionAssert.AreEqual(data.Schema.Select(c => c.Name).ToArray(), schema.Select(c => c.Name).ToArray());
            string[] columns = ["Score", "PredictedLabel", "PredictedWord"];
            CollectionAssert.AreEqual(ModelFiles.Dump(model.Transform(data), columns), ModelFiles.Dump(loaded.Transform(data), columns));
            var engine = ml.Model.CreatePredictionEngine<TextRow, WordPrediction>(loaded);
            Assert.AreEqual(model.Transform(data).GetColumn<ReadOnlyMemory<char>>("PredictedWord").First().ToString(), engine.Predict(FirstWord(200, 1)[0]).PredictedWord);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void BinaryAndRegressionModelsRoundTripBitIdentically()
    {
        var ml = new MLContext(1);
        (ITransformer binary, IDataView signs) = ModelFiles.TinyBinary(ml);
        ITransformer loadedBinary = ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, binary, signs.Schema)), out _);
        string[] binaryColumns = ["Score", "Probability", "PredictedLabel"];
        CollectionAssert.AreEqual(ModelFiles.Dump(binary.Transform(signs), binaryColumns), ModelFiles.Dump(loadedBinary.Transform(signs), binaryColumns));

        IDataView windows = ml.Data.LoadFromEnumerable(Windows(50, 1));
        ITransformer regression = ml.Regression.Trainers.Recurrent(new RecurrentTrainerOptions { HiddenSize = 3, NumberOfEpochs = 1, Cell = CellType.PeepholeLstm }).Fit(windows);
        ITransformer loadedRegression = ml.Model.LoadRecurrentModel(new MemoryStream(ModelFiles.Bytes(ml, regression, windows.Schema)), out _);
        CollectionAssert.AreEqual(ModelFiles.Dump(regression.Transform(windows), "Score"), ModelFiles.Dump(loadedRegression.Transform(windows), "Score"));
    }

    [TestMethod]
    public void PlainMLNetModelLoadsThroughMLNetAndSaysSo()
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        IDataView data = ml.Data.LoadFromEnumerable(FirstWord(20, 1));
        ITransformer model = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text").Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        ITransformer loaded = ml.Model.LoadRecurrentModel(new MemoryStream(stream.ToArray()), out DataViewSchema schema);
        Assert.IsNotNull(loaded.GetOutputSchema(schema).GetColumnOrNull("Tokens"));
        Assert.IsTrue(messages.Any(m => m.Contains("is a plain ML.NET model")), string.Join("\n", messages));
    }

    [TestMethod]
    public void FailedSaveLeavesThePreviousFileAndNoTemporaryFile()
    {
        var ml = new MLContext(1);
        (ITransformer model, IDataView data) = ModelFiles.TinyBinary(ml);
        string folder = Directory.CreateTempSubdirectory("atomic").FullName;
        string path = Path.Combine(folder, "model.mlrnn");
        try
        {
            ml.Model.SaveRecurrentModel(model, data.Schema, path);
            byte[] before = File.ReadAllBytes(path);
            var broken = new TransformerChain<ITransformer>(model, new UnsaveableTransformer());
            var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.SaveRecurrentModel(broken, data.Schema, path));
            StringAssert.Contains(error.Message, nameof(UnsaveableTransformer));
            CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
            CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestMethod]
    public void MLNetSaveNamesTheApiToUse()
    {
        var ml = new MLContext(1);
        (ITransformer model, IDataView data) = ModelFiles.TinyBinary(ml);
        var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.Save(model, data.Schema, new MemoryStream()));
        StringAssert.Contains(error.Message, "mlContext.Model.SaveRecurrentModel");
    }

    /// <summary>A transformer that neither ML.NET nor this library can save.</summary>
    private sealed class UnsaveableTransformer : ITransformer
    {
        public bool IsRowToRowMapper => true;
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();
        public IDataView Transform(IDataView input) => input;
        public void Save(ModelSaveContext ctx) => throw new NotSupportedException("This transformer cannot be saved.");
    }
}

/// <summary>PredictionEngine output of the text pipeline.</summary>
public sealed class WordPrediction
{
    public string PredictedWord { get; set; } = "";
}
