using ScottPlot;

namespace Microsoft.ML.Recurrent.Samples.SpeechDigits;

/// <summary>spikes.png: an utterance's log-mel spectrogram with the recognizer's CTC spikes marked and labelled.</summary>
internal static class SpikePlot
{
    /// <param name="folder">Where the picture goes.</param>
    /// <param name="features">[T, bins] feature frames of the utterance (log-mel bands or MFCCs).</param>
    /// <param name="bins">Bands per frame.</param>
    /// <param name="spikes">Each recognized symbol with its spike frame (output frames, after the time stride).</param>
    /// <param name="stride">Input frames per output frame.</param>
    /// <param name="title">The reference and the recognized text.</param>
    public static void Draw(string folder, float[] features, int bins, IReadOnlyList<(string Symbol, int Frame)> spikes, int stride, string title)
    {
        int frames = features.Length / bins;
        double[,] cells = new double[bins, frames];
        for (int t = 0; t < frames; t++)
            for (int b = 0; b < bins; b++) cells[bins - 1 - b, t] = features[t * bins + b];   // low bands at the bottom
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        foreach ((string symbol, int frame) in spikes)
        {
            double x = frame * stride;
            plot.Add.VerticalLine(x, 1, Colors.White);
            var label = plot.Add.Text(symbol == " " ? "␣" : symbol, x, bins + 1);
            label.LabelFontColor = Colors.Black;
        }
        plot.Title(title);
        plot.XLabel("frame (10 ms)");
        plot.YLabel("mel band");
        plot.HideGrid();
        TrainingPlots.Save(plot, folder, "spikes.png", Math.Max(700, 4 * frames + 200), 420);
    }
}
