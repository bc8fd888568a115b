using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>Orthogonal initialization: every gate block orthogonal times the gain, along the longer side when not square.</summary>
[TestClass]
public sealed class InitializerTests
{
    [TestMethod]
    [DataRow(96, 32, 3, 1.0f)]    // a GRU's W_hh: three square gate blocks
    [DataRow(128, 32, 4, 0.5f)]   // an LSTM's, with a gain
    [DataRow(24, 40, 1, 1.0f)]    // wide: orthonormal rows
    [DataRow(70, 16, 1, 2.0f)]    // tall: orthonormal columns
    public void EveryBlockIsOrthogonalTimesTheGain(int rows, int cols, int blocks, float gain)
    {
        var p = new Parameter("w", rows, cols);
        Initializer.Orthogonal(p, new Random(3), gain, blocks);
        int blockRows = rows / blocks;
        bool tall = blockRows > cols;
        int size = tall ? cols : blockRows, length = tall ? blockRows : cols;
        for (int k = 0; k < blocks; k++)
        {
            // Element (i, j) of the block's vector i: row i, or column i when the block is tall.
            double At(int i, int j) => tall ? p.Value[(k * blockRows + j) * cols + i] : p.Value[(k * blockRows + i) * cols + j];
            for (int a = 0; a < size; a++)
                for (int b = 0; b < size; b++)
                {
                    double dot = 0;
                    for (int j = 0; j < length; j++) dot += At(a, j) * At(b, j);
                    double expected = a == b ? gain * gain : 0;
                    Assert.AreEqual(expected, dot, 1e-5 * gain * gain, $"block {k}: vectors {a} and {b}");
                }
        }
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameValuesAndAnotherSeedOthers()
    {
        float[] Values(int seed)
        {
            var p = new Parameter("w", 64, 16);
            Initializer.Orthogonal(p, new Random(seed), 1f, blocks: 4);
            return p.Value;
        }
        CollectionAssert.AreEqual(Values(5), Values(5));
        CollectionAssert.AreNotEqual(Values(5), Values(6));
    }

    [TestMethod]
    public void RowsThatDoNotSplitIntoTheBlocksAreRefusedByName()
    {
        var p = new Parameter("weight_hh_l0", 10, 4);
        var error = Assert.ThrowsExactly<ArgumentException>(() => Initializer.Orthogonal(p, new Random(1), 1f, blocks: 3));
        StringAssert.Contains(error.Message, "weight_hh_l0");
        StringAssert.Contains(error.Message, "10 rows");
    }
}
