using Microsoft.ML;

namespace Microsoft.ML.Recurrent.Samples;

/// <summary>The consumption step the samples share: save a fitted transformer and load it back, as an application would.</summary>
internal static class ModelFile
{
    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/> (when given) and returns the reloaded model of the same type (the original without a path).</summary>
    public static T SaveAndLoad<T>(MLContext ml, T model, DataViewSchema schema, string? path) where T : class, ITransformer
    {
        if (path is null) return model;
        ml.Model.SaveRecurrentModel(model, schema, path);
        // The model file holds a chain (here of one transformer).
        ITransformer file = ml.Model.LoadRecurrentModel(path, out _);
        T loaded = file as T ?? ((IEnumerable<ITransformer>)file).OfType<T>().Single();
        Console.WriteLine($"Saved the model to {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:F1} MB) and loaded it back.");
        return loaded;
    }
}
