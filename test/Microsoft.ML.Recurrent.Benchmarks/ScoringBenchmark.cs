using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Sequences;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>
/// Scoring throughput of a fitted ML.NET pipeline on 20,000 sentences of 20 words: the batched
/// <c>Transform</c> (blocks of rows as packed batches) against one row at a time through a
/// <c>PredictionEngine</c> (what <c>Transform</c> did before it batched), in the same process,
/// alternating. Reports rows per second both ways.
/// </summary>
internal static class ScoringBenchmark
{
    /// <summary>One sentence of word tokens.</summary>
    public sealed class Sentence
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    /// <summary>The fitted pipeline (trained one epoch on 2,000 rows), the 20,000 sentences and their data view.</summary>
    public static (MLContext Ml, ITransformer Model, Sentence[] Rows, IDataView Data) Fit(CellType cell, int hidden, bool bidirectional)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        Sentence[] rows = [.. Enumerable.Range(0, 20_000).Select(_ => new Sentence
        {
            Text = string.Join(' ', Enumerable.Range(0, 20).Select(_ => $"w{random.Next(5000)}")),
            Label = random.Next(2) == 0,
        })];
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(Sentence.Text))
            .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Tokens"))
            .Append(ml.BinaryClassification.Trainers.Recurrent(new RecurrentTrainerOptions
            {
                Cell = cell, HiddenSize = hidden, Bidirectional = bidirectional, NumberOfEpochs = 1, EmbeddingSize = 64,
            }));
        return (ml, pipeline.Fit(ml.Data.TakeRows(data, 2_000)), rows, data);
    }

    /// <summary>Rows/s of batched Transform and of row-at-a-time scoring for the cell and size given.</summary>
    public static (double Batched, double RowByRow) Measure(CellType cell, int hidden, bool bidirectional, int repeats)
    {
        (MLContext ml, ITransformer model, Sentence[] rows, IDataView data) = Fit(cell, hidden, bidirectional);
        var engine = ml.Model.CreatePredictionEngine<Sentence, Prediction>(model);
        IDataView scored = model.Transform(data);
        double checksum = 0;
        void Batched() { foreach (float s in scored.GetColumn<float>("Score")) checksum += s; }
        void RowByRow() { foreach (Sentence row in rows) checksum += engine.Predict(row).Score; }
        Batched(); RowByRow();
        var batched = new List<double>();
        var single = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            batched.Add(Time(Batched));
            single.Add(Time(RowByRow));
        }
        batched.Sort();
        single.Sort();
        if (double.IsNaN(checksum)) throw new InvalidOperationException("NaN scores.");
        return (rows.Length / batched[repeats / 2], rows.Length / single[repeats / 2]);
    }

    internal static double Time(Action run)
    {
        long start = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
