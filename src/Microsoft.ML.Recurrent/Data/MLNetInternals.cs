using System.Reflection;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// The one place that reaches into ML.NET internals. Microsoft.ML 5.0.1 keeps
/// <c>SchemaShape.Column</c>'s constructor and <c>SchemaShape.Create(DataViewSchema)</c> internal,
/// yet every estimator must answer <c>GetOutputSchema(SchemaShape)</c>; we build the output columns
/// as a public <see cref="DataViewSchema"/> and convert it here. A test fails loudly if a new ML.NET
/// version removes the method. Catalog extension methods likewise need the environment that ML.NET
/// keeps behind the internal <c>IInternalCatalog.Environment</c>.
/// </summary>
internal static class MLNetInternals
{
    private static readonly MethodInfo? s_createShape = typeof(SchemaShape).GetMethod(
        "Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [typeof(DataViewSchema)]);

    /// <summary>The <see cref="SchemaShape"/> of <paramref name="schema"/> (ML.NET's own conversion).</summary>
    public static SchemaShape ToShape(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        MethodInfo create = s_createShape ?? throw new MissingMethodException(
            $"This version of ML.NET ({typeof(SchemaShape).Assembly.GetName().Version}) has no SchemaShape.Create(DataViewSchema); Microsoft.ML.Recurrent needs it to describe output columns.");
        return (SchemaShape)create.Invoke(null, [schema])!;
    }

    /// <summary><paramref name="input"/> with <paramref name="added"/> appended; an added column hides an input column of the same name.</summary>
    public static SchemaShape Append(SchemaShape input, DataViewSchema added)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaShape ours = ToShape(added);
        var names = new HashSet<string>(ours.Select(c => c.Name));
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(ours));
    }

    /// <summary>The MLContext (environment) behind a catalog such as <c>mlContext.BinaryClassification.Trainers</c>.</summary>
    public static Microsoft.ML.Runtime.IHostEnvironment EnvironmentOf(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        PropertyInfo? property = catalog.GetType().GetInterfaces()
            .FirstOrDefault(i => i.FullName == "Microsoft.ML.Data.IInternalCatalog")?.GetProperty("Environment");
        return property?.GetValue(catalog) as Microsoft.ML.Runtime.IHostEnvironment ?? throw new MissingMemberException(
            $"This version of ML.NET ({typeof(SchemaShape).Assembly.GetName().Version}) does not expose its catalog's environment through IInternalCatalog.Environment; Microsoft.ML.Recurrent needs it to create trainers.");
    }
}
