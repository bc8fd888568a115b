using System.Reflection;

namespace Microsoft.ML.Recurrent.Tests.Api;

/// <summary>The quick samples, run as a user runs them with no flags (on the data they ship or generate): each must exit 0.</summary>
[TestClass]
[DoNotParallelize]
public sealed class SampleRunTests
{
    [TestMethod]
    [DataRow("QuickStart")]
    [DataRow("TextGeneration")]
    [DataRow("AssociativeMemory")]
    public void ASampleRunsToTheEndWithoutFlags(string sample)
    {
        MethodInfo entry = Assembly.Load(sample).EntryPoint ?? throw new InvalidOperationException($"{sample} has no entry point.");
        TextWriter console = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        object? status;
        try
        {
            status = entry.Invoke(null, [Array.Empty<string>()]);
        }
        finally
        {
            Console.SetOut(console);
        }
        Assert.AreEqual(0, status, $"{sample} printed:\n{output}");
        Assert.IsGreaterThan(200, output.ToString().Length, $"{sample} reports what it did");
    }
}
