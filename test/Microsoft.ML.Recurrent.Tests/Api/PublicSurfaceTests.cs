using System.Reflection;

namespace Microsoft.ML.Recurrent.Tests.Api;

/// <summary>
/// The public surface is deliberate: an ML.NET user needs one namespace; the engine's public API is
/// for users who build their own models; implementation details stay internal.
/// </summary>
[TestClass]
public sealed class PublicSurfaceTests
{
    private static readonly Type[] Public = [.. typeof(RecurrentCatalog).Assembly.GetExportedTypes()];

    [TestMethod]
    public void EverythingAnMLNetUserTouchesIsInTheRootNamespace()
    {
        // Engine-level APIs (no ML.NET types) for users who build their own models: the engine, the signal-processing
        // audio features and the synthetic data generators. Everything else public is what an ML.NET user touches.
        string[] engineLevel = ["Microsoft.ML.Recurrent.Engine", "Microsoft.ML.Recurrent.Audio", "Microsoft.ML.Recurrent.Data.Synthetic"];
        string[] elsewhere = [.. Public.Where(t => t.Namespace != "Microsoft.ML.Recurrent" && !engineLevel.Any(e => t.Namespace!.StartsWith(e, StringComparison.Ordinal))).Select(t => t.FullName!)];
        Assert.IsEmpty(elsewhere, $"public types outside Microsoft.ML.Recurrent and its engine: {string.Join(", ", elsewhere)}");
        foreach (Type type in new[] { typeof(CellType), typeof(SequencePooling), typeof(RecurrentTrainerOptions), typeof(RecurrentTrainingOptions),
            typeof(LearningRateSchedule), typeof(RecurrentEpochMetrics), typeof(TrainingProgressReport), typeof(RecurrentOptimizer) })
            Assert.AreEqual("Microsoft.ML.Recurrent", type.Namespace, type.Name);
    }

    [TestMethod]
    public void ImplementationDetailsAreInternal()
    {
        string[] names = [.. Public.Select(t => t.Name)];
        foreach (string detail in new[] { "Guard", "WorkerPool", "CellFactory", "RecurrentCell", "RecurrentWeights", "LstmCell", "GruCell", "PackedMatrix", "PackedRows", "AlignedBuffer", "MicroKernel" })
            CollectionAssert.DoesNotContain(names, detail, $"{detail} is an implementation detail");
    }

    [TestMethod]
    public void EveryCatalogMethodDocumentsItsParametersAndHasAnExample()
    {
        string xml = Path.ChangeExtension(typeof(RecurrentCatalog).Assembly.Location, ".xml");
        var docs = System.Xml.Linq.XDocument.Load(xml).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!);
        foreach (MethodInfo method in new[] { typeof(RecurrentCatalog), typeof(TaggingCatalog) }.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)))
        {
            var doc = docs.Values.Where(m => ((string)m.Attribute("name")!).StartsWith($"M:{method.DeclaringType!.FullName}.{method.Name}(", StringComparison.Ordinal))
                .FirstOrDefault(m => m.Elements("param").Count() == method.GetParameters().Length);
            Assert.IsNotNull(doc, $"{method}: no XML doc with a <param> for each of its {method.GetParameters().Length} parameters");
            Assert.IsNotNull(doc.Element("example"), $"{method}: no <example>");
        }
    }
}
