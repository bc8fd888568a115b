using ScottPlot;

namespace Microsoft.ML.Recurrent.Samples.Seq2Seq;

/// <summary>Heat maps of where the decoder looked: one row per output symbol (and the end), one column per source symbol.</summary>
internal static class AttentionPlots
{
    public static void Draw(string folder, Seq2SeqTransformer model, IEnumerable<string> sources)
    {
        int index = 0;
        foreach (string source in sources)
        {
            (string output, IReadOnlyList<string> symbols, float[][] weights) = model.TranslateWithAttention(source);
            IReadOnlyList<string> columns = model.SourceSymbols(source);
            string[] rows = [.. symbols, "</s>"];
            double[,] cells = new double[rows.Length, columns.Count];
            for (int r = 0; r < rows.Length; r++)
                for (int c = 0; c < columns.Count; c++) cells[r, c] = weights[r][c];
            var plot = new Plot();
            // Cell (r, c) is centred on (c, rows - 1 - r): row 0 (the first output symbol) on top.
            var heatmap = plot.Add.Heatmap(cells);
            heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
            plot.Add.ColorBar(heatmap);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, columns.Count).Select(c => (double)c)], [.. columns.Select(s => s == " " ? "␣" : s)]);
            plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Length).Select(r => (double)(rows.Length - 1 - r))], rows);
            plot.Title($"Attention: {source} -> {output}");
            plot.XLabel("source");
            plot.YLabel("output");
            plot.HideGrid();
            TrainingPlots.Save(plot, folder, $"attention-{++index}.png", Math.Max(500, 40 * columns.Count + 200), Math.Max(400, 30 * rows.Length + 150));
        }
    }
}
