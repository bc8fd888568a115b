namespace Microsoft.ML.Recurrent.Onnx;

/// <summary>Finds the exportable recurrent model in a pipeline and exports it, or says which part cannot be exported and why.</summary>
internal static class OnnxExport
{
    public static byte[] Export(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        // Our audio loading and featurizing stay in .NET (ONNX has no WAV reader); the model after them is exported.
        ITransformer[] ours = [.. Flatten(model).Where(t => t.GetType().Assembly == typeof(OnnxExport).Assembly && t is not AudioLoadingTransformer and not AudioFeaturizingTransformer)];
        if (ours.Length == 0)
            throw new NotSupportedException("The pipeline holds no Microsoft.ML.Recurrent model to export; ML.NET's own transformers export with mlContext.Model.ConvertToOnnx.");
        if (ours.Length > 1)
            throw new NotSupportedException($"The pipeline holds {ours.Length} Microsoft.ML.Recurrent transformers ({string.Join(", ", ours.Select(t => t.GetType().Name))}); the export takes one recurrent model: pass it alone.");
        return ours[0] switch
        {
            RecurrentSequenceTransformer sequence => SequenceModelOnnx.Export(sequence),
            SpeechRecognitionTransformer speech => SpeechModelOnnx.Export(speech),
            SequenceTaggingTransformer tagger => TaggerModelOnnx.Export(tagger),
            var other => throw new NotSupportedException(
                $"{other.GetType().Name} cannot be exported to ONNX yet: the export covers the sequence classifiers and regressors (mlContext.*.Trainers.Recurrent), "
                + "the sequence tagger and the speech recognizer's acoustic model; language models, seq2seq models, forecasters, associative memories and audio featurizers are not covered."),
        };
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];
}
