using ScottPlot;

namespace Microsoft.ML.Recurrent.Samples;

/// <summary>PNG pictures of a run for <c>--plots DIR</c>: training curves, and whatever a sample adds with <see cref="Save"/>.</summary>
internal static class TrainingPlots
{
    /// <summary>The per-epoch history of the first recurrent model in <paramref name="model"/> (a transformer or a chain).</summary>
    public static IReadOnlyList<RecurrentEpochMetrics> HistoryOf(ITransformer model) => model switch
    {
        RecurrentSequenceTransformer recurrent => recurrent.TrainingHistory,
        SequenceTaggingTransformer tagger => tagger.TrainingHistory,
        RecurrentForecastingTransformer forecaster => forecaster.TrainingHistory,
        SpeechRecognitionTransformer recognizer => recognizer.TrainingHistory,
        IEnumerable<ITransformer> chain => chain.Select(HistoryOf).FirstOrDefault(h => h.Count > 0) ?? [],
        _ => [],
    };

    /// <summary>Writes <c>training-curves.png</c> into <paramref name="folder"/>: training and validation loss, and the validation metric, per epoch.</summary>
    public static void Curves(string? folder, string title, IReadOnlyList<RecurrentEpochMetrics> history)
    {
        if (folder is null || history.Count == 0) return;
        var plot = new Plot();
        double[] epochs = [.. history.Select(h => (double)h.Epoch)];
        var training = plot.Add.Scatter(epochs, [.. history.Select(h => h.TrainingLoss)]);
        training.LegendText = "training loss";
        if (history.Any(h => !double.IsNaN(h.ValidationLoss)))
        {
            var validation = plot.Add.Scatter(epochs, [.. history.Select(h => h.ValidationLoss)]);
            validation.LegendText = "validation loss";
            var metric = plot.Add.Scatter(epochs, [.. history.Select(h => h.ValidationMetric)]);
            metric.LegendText = $"validation {history[0].MetricName} (right axis)";
            metric.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = history[0].MetricName;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend();
        Save(plot, folder, "training-curves.png");
    }

    /// <summary>Saves <paramref name="plot"/> as <paramref name="name"/> in <paramref name="folder"/> (created if needed) and says where.</summary>
    public static void Save(Plot plot, string folder, string name, int width = 900, int height = 500)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        plot.SavePng(path, width, height);
        Console.WriteLine($"Plot written to {path}.");
    }
}
