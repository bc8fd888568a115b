namespace Microsoft.ML.Recurrent.Samples;

/// <summary>What a tagging pipeline predicts for a sentence (after MapKeyToValue into PredictedTags).</summary>
internal sealed class TagPrediction
{
    public string[] PredictedTags { get; set; } = [];
}

/// <summary>The parts the tagging samples share after training: saving and reloading, and tagging a few sentences through a PredictionEngine.</summary>
internal static class TaggerDemo
{
    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/> (when given) and returns the copy loaded back from it, else the model itself.</summary>
    public static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema schema, string? path)
    {
        if (path is null) return model;
        ml.Model.SaveRecurrentModel(model, schema, path);
        ITransformer loaded = ml.Model.LoadRecurrentModel(path, out _);
        Console.WriteLine($"Saved the model to {path} ({new FileInfo(path).Length / 1024.0:F0} KiB) and loaded it back.");
        return loaded;
    }

    /// <summary>Tags each of <paramref name="sentences"/> (space-separated tokens) and prints the tokens with their tags as <paramref name="format"/> writes them.</summary>
    public static void Show(MLContext ml, ITransformer model, IEnumerable<string> sentences, Func<string, string, string> format)
    {
        var engine = ml.Model.CreatePredictionEngine<TaggedSentence, TagPrediction>(model);
        foreach (string sentence in sentences)
        {
            string[] tokens = sentence.Split(' ');
            // The pipeline maps the Tags column too; any tag does for prediction.
            TagPrediction prediction = engine.Predict(new TaggedSentence { Tokens = tokens, Tags = [.. tokens.Select(_ => "O")] });
            Console.WriteLine("  " + string.Join(" ", tokens.Zip(prediction.PredictedTags, format)));
        }
    }
}
