using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Generation;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Translation;

/// <summary>
/// A <see cref="Seq2SeqNetwork"/> as the training loop sees it: per-symbol cross-entropy (with label smoothing when
/// asked) under teacher forcing, or scheduled sampling whose teacher-forcing probability follows the schedule by
/// training step. The metric is the plain validation cross-entropy in nats per target symbol (ends included).
/// </summary>
internal sealed class Seq2SeqTraining(Seq2SeqNetwork network, TeacherForcingSchedule schedule, float labelSmoothing) : ITrainableModel<SymbolPair>
{
    private long _step;

    public IReadOnlyList<Parameter> Parameters => network.Parameters;

    public string MetricName => "cross-entropy (nats/symbol)";

    public bool HigherIsBetter => false;

    public double TrainBatch(IReadOnlyList<SymbolPair> batch, Random random) =>
        network.Loss([.. batch.Select(p => p.Source)], [.. batch.Select(p => p.Target)], gradient: true, training: true, random,
            schedule.Probability(_step++), labelSmoothing);

    public (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<SymbolPair>> batches)
    {
        double total = 0;
        long symbols = 0;
        foreach (IReadOnlyList<SymbolPair> batch in batches)
        {
            int count = batch.Sum(p => p.Target.Length + 1);
            total += network.Loss([.. batch.Select(p => p.Source)], [.. batch.Select(p => p.Target)], gradient: false) * count;
            symbols += count;
        }
        if (symbols == 0) throw new InvalidOperationException("The validation data has no pairs.");
        return (total / symbols, total / symbols);
    }
}
