using Microsoft.ML.Recurrent.Persistence;

namespace Microsoft.ML.Recurrent.Tests.Persistence;

/// <summary>Saving behaves as ML.NET's Save does where a user would expect it to, and settings are stored by name.</summary>
[TestClass]
public sealed class SaveSemanticsTests
{
    [TestMethod]
    public void AMissingFolderIsAnErrorThatNamesThePath()
    {
        var ml = new MLContext(1);
        (ITransformer model, IDataView data) = ModelFiles.TinyBinary(ml);
        string folder = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}");
        string path = Path.Combine(folder, "model.mlrnn");
        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => ml.Model.SaveRecurrentModel(model, data.Schema, path));
        StringAssert.Contains(error.Message, path);
        Assert.IsFalse(Directory.Exists(folder), "the folder is not created");
    }

    [TestMethod]
    public void AReadOnlyFileIsNotReplaced()
    {
        var ml = new MLContext(1);
        (ITransformer model, IDataView data) = ModelFiles.TinyBinary(ml);
        string path = Path.Combine(Path.GetTempPath(), $"readonly-{Guid.NewGuid():N}.mlrnn");
        File.WriteAllBytes(path, [1, 2, 3]);
        try
        {
            if (OperatingSystem.IsWindows()) File.SetAttributes(path, FileAttributes.ReadOnly);
            else File.SetUnixFileMode(path, UnixFileMode.UserRead);
            var error = Assert.ThrowsExactly<UnauthorizedAccessException>(() => ml.Model.SaveRecurrentModel(model, data.Schema, path));
            StringAssert.Contains(error.Message, path);
            StringAssert.Contains(error.Message, "read-only");
            CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
            Assert.IsEmpty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}.*"), "no temporary file is left");
        }
        finally
        {
            if (OperatingSystem.IsWindows()) File.SetAttributes(path, FileAttributes.Normal);
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ANullInputSchemaIsAcceptedAsMLNetAcceptsIt()
    {
        var ml = new MLContext(1);
        (ITransformer model, IDataView data) = ModelFiles.TinyBinary(ml);
        using var stream = new MemoryStream();
        ml.Model.SaveRecurrentModel(model, null, stream);
        ITransformer loaded = ml.Model.LoadRecurrentModel(new MemoryStream(stream.ToArray()), out DataViewSchema schema);
        Assert.IsNull(schema, "no schema was stored");
        CollectionAssert.AreEqual(ModelFiles.Dump(model.Transform(data), "Score"), ModelFiles.Dump(loaded.Transform(data), "Score"));
    }

    [TestMethod]
    public void NamedValuesDefaultWhenAbsentAndRefuseWhatTheyDoNotKnow()
    {
        var writer = new ModelWriter();
        new NamedValues().Add("hidden_size", 8).Add("from_the_future", true).Write(writer);
        byte[] bytes = writer.ToArray();
        var reader = new ModelReader(bytes, 0, bytes.Length, "test section");
        NamedValues values = NamedValues.Read(reader);
        Assert.AreEqual(8, values.Int32(reader, "hidden_size", 1, 100));
        Assert.AreEqual(3, values.Int32(reader, "layers", 1, 64, 3), "a setting the file predates reads its default");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => values.Int32(reader, "input_size", 1, 100)).Message, "required value 'input_size' is missing");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => values.ExpectAllRead(reader, "test section"));
        StringAssert.Contains(error.Message, "from_the_future");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => values.Boolean(reader, "hidden_size")).Message, "has type Int32");
    }

    [TestMethod]
    public void EveryTransformerCodecHasItsOwnSectionKind()
    {
        IReadOnlyList<ITransformerCodec> codecs = TransformerCodecs.All;
        Assert.IsTrue(codecs.Any(c => c.TransformerType == typeof(RecurrentSequenceTransformer)));
        Assert.HasCount(codecs.Count, codecs.Select(c => c.Kind).Distinct());
        Assert.IsTrue(codecs.All(c => c.Kind > 2), "kinds 1 and 2 are the container's own");
    }
}
