namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// Stores one kind of Microsoft.ML.Recurrent transformer as a section of the model file. Each task
/// family adds one codec class (a sealed class with a parameterless constructor, anywhere in this
/// assembly); <see cref="TransformerCodecs"/> finds it, so the container never changes for a new family.
/// </summary>
internal interface ITransformerCodec
{
    /// <summary>The section kind byte, unique among codecs (1 and 2 are the container's own: input schema, ML.NET segment).</summary>
    byte Kind { get; }

    /// <summary>The transformer type this codec writes.</summary>
    Type TransformerType { get; }

    /// <summary>Writes <paramref name="transformer"/> (of <see cref="TransformerType"/>).</summary>
    void Write(ModelWriter writer, ITransformer transformer);

    /// <summary>Reads a transformer written by <see cref="Write"/> into a file of container format <paramref name="formatVersion"/>.</summary>
    ITransformer Read(ModelReader reader, int formatVersion);
}

/// <summary>The registry of <see cref="ITransformerCodec"/>s, found once by reflection over this assembly.</summary>
internal static class TransformerCodecs
{
    private static readonly Lazy<ITransformerCodec[]> s_all = new(Discover);

    /// <summary>The codec that writes <paramref name="transformer"/>, or null for transformers ML.NET saves.</summary>
    public static ITransformerCodec? For(ITransformer transformer) => s_all.Value.FirstOrDefault(c => c.TransformerType == transformer.GetType());

    /// <summary>The codec of section kind <paramref name="kind"/>, or null.</summary>
    public static ITransformerCodec? ForKind(byte kind) => s_all.Value.FirstOrDefault(c => c.Kind == kind);

    /// <summary>Every codec.</summary>
    public static IReadOnlyList<ITransformerCodec> All => s_all.Value;

    private static ITransformerCodec[] Discover()
    {
        ITransformerCodec[] codecs = [.. typeof(TransformerCodecs).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITransformerCodec).IsAssignableFrom(t))
            .Select(t => (ITransformerCodec)Activator.CreateInstance(t)!)
            .OrderBy(c => c.Kind)];
        foreach (var group in codecs.GroupBy(c => c.Kind))
            if (group.Key <= 2 || group.Count() > 1)
                throw new InvalidOperationException($"Section kind {group.Key} is reserved or claimed by several codecs ({string.Join(", ", group.Select(c => c.GetType().Name))}).");
        return codecs;
    }
}
