using Spectre.Console;

namespace Microsoft.ML.Recurrent.Samples;

/// <summary>
/// Shows a training run as it happens: a live Spectre.Console progress bar (epoch, loss, metric,
/// throughput, time left) in a terminal, and one plain line per epoch when the output is redirected
/// (CI, pipes). Pass <see cref="Report"/>'s callback as the trainer options' <c>Progress</c>.
/// </summary>
internal static class TrainingDisplay
{
    /// <summary>Whether the console can show live output.</summary>
    public static bool Live => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="train"/>, giving it the progress callback to put on its options.</summary>
    /// <param name="title">What is being trained.</param>
    /// <param name="train">Trains with the callback and returns the model.</param>
    /// <param name="unit">What the trainer's examples are, for the throughput ("sequences"; a language model's are windows of streams).</param>
    public static T Run<T>(string title, Func<Action<TrainingProgressReport>, T> train, string unit = "sequences")
    {
        if (!Live) return train(report => { if (report.IsEpochEnd) Console.WriteLine(Line(report, unit)); });
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: 1);
                result = train(report =>
                {
                    task.MaxValue = report.NumberOfEpochs;
                    double within = report.IsEpochEnd ? 1 : report.BatchesPerEpoch is int batches ? Math.Min(1, (double)report.Batch / batches) : 0;
                    task.Value = report.Epoch - 1 + within;
                    task.Description = Markup.Escape($"{title}: epoch {report.Epoch}/{report.NumberOfEpochs}, loss {report.TrainingLoss:F4}"
                        + (double.IsNaN(report.ValidationMetric) ? "" : $", validation {report.MetricName} {report.ValidationMetric:F4}")
                        + $", {report.ExamplesPerSecond:F0} {unit}/s");
                    if (report.IsEpochEnd) AnsiConsole.MarkupLine(Markup.Escape(Line(report, unit)));
                });
                task.Value = task.MaxValue;
            });
        return result;
    }

    private static string Line(TrainingProgressReport r, string unit) =>
        $"  epoch {r.Epoch,3}/{r.NumberOfEpochs}  loss {r.TrainingLoss:F4}"
        + (double.IsNaN(r.ValidationLoss) ? "" : $"  validation loss {r.ValidationLoss:F4}  {r.MetricName} {r.ValidationMetric:F4}")
        + $"  lr {r.LearningRate:G3}  {r.ExamplesPerSecond,7:F1} {unit}/s"
        + (r.EstimatedRemaining is TimeSpan left && left > TimeSpan.Zero ? $"  ~{left.TotalSeconds:F0} s left" : "");
}
