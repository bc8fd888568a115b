using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Recurrent.Tests.Persistence;

/// <summary>Loading rejects truncated, corrupted, foreign, future and bomb files with InvalidDataException and a clear message.</summary>
[TestClass]
public sealed class CorruptModelTests
{
    private static readonly MLContext Ml = new(1);
    private static readonly Lazy<byte[]> Tiny = new(() =>
    {
        (ITransformer model, IDataView data) = ModelFiles.TinyBinary(Ml);
        return ModelFiles.Bytes(Ml, model, data.Schema);
    });

    private static InvalidDataException LoadFails(byte[] bytes) =>
        Assert.ThrowsExactly<InvalidDataException>(() => Ml.Model.LoadRecurrentModel(new MemoryStream(bytes), out _));

    [TestMethod]
    public void EveryTruncationFails()
    {
        byte[] file = Tiny.Value;
        for (int length = 0; length < file.Length; length++)
        {
            var error = LoadFails(file[..length]);
            Assert.IsFalse(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [TestMethod]
    public void RandomCorruptionsFail()
    {
        byte[] file = Tiny.Value;
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] copy = (byte[])file.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--) copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
            LoadFails(copy);
        }
    }

    [TestMethod]
    public void WrongMagicSaysItIsNotAModelFile()
    {
        byte[] copy = (byte[])Tiny.Value.Clone();
        copy[0] = (byte)'X';
        StringAssert.Contains(LoadFails(copy).Message, "not a Microsoft.ML.Recurrent model file");
    }

    [TestMethod]
    public void FutureVersionAsksForANewerLibrary()
    {
        byte[] copy = (byte[])Tiny.Value.Clone();
        copy[8] = 9;
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), Recurrent.Persistence.Crc32.Compute(copy.AsSpan(0, copy.Length - 4)));
        StringAssert.Contains(LoadFails(copy).Message, "format version 9");
    }

    [TestMethod]
    public void ZipBombIsRefusedBeforeExpanding()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        using (Stream entry = zip.CreateEntry("Model/Model.key").Open()) entry.Write(new byte[1000]);
        byte[] bytes = buffer.ToArray();
        int central = bytes.AsSpan().IndexOf("PK\x01\x02"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(central + 24), 0xF0000000u);
        StringAssert.Contains(LoadFails(bytes).Message, "zip bomb");
    }

    [TestMethod]
    public void EmptyAndTextFilesFail()
    {
        StringAssert.Contains(LoadFails([]).Message, "not a Microsoft.ML.Recurrent model file");
        StringAssert.Contains(LoadFails("hello, world"u8.ToArray()).Message, "not a Microsoft.ML.Recurrent model file");
    }
}
