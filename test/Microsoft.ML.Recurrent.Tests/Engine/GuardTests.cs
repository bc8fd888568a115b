using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The finiteness check scans eight values at a time: every position of the vector body and the tail must be seen, and extreme finite values pass.</summary>
[TestClass]
public sealed class GuardTests
{
    [TestMethod]
    public void FiniteNamesTheFirstBadValueWhereverItIs()
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            foreach (int length in new[] { 1, 8, 13, 32, 37 })   // tail only, body only, and both
                for (int at = 0; at < length; at++)
                    foreach (bool second in new[] { false, true })
                    {
                        float[] values = [.. Enumerable.Range(0, length).Select(i => (i % 3 - 1) * 1e30f)];
                        values[at] = bad;
                        if (second && at + 1 < length) values[at + 1] = float.NaN;   // a later bad value must not be the one named
                        var e = Assert.ThrowsExactly<ArgumentException>(() => Guard.Finite(values, "input"));
                        StringAssert.Contains(e.Message, $"input[{at}] is {bad}");
                    }
    }

    [TestMethod]
    public void ExtremeFiniteValuesPass()
    {
        float[] values = [float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, -0f, 0f, 1e-40f, 3.4e38f, -1f, 2f, float.MaxValue];
        Guard.Finite(values, "input");
        Guard.Finite([], "input");
    }
}
