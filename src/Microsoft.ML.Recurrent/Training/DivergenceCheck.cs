namespace Microsoft.ML.Recurrent.Training;

/// <summary>
/// Stops a run whose loss explodes, also while it stays finite: a mini-batch loss far above the
/// untrained model's, or an epoch loss that keeps rising to above the first epoch's.
/// </summary>
internal static class DivergenceCheck
{
    /// <summary>The smallest scale a loss is compared against (so a near-zero initial loss does not make noise look like divergence).</summary>
    private const double MinimumScale = 0.01;

    /// <summary>Throws when <paramref name="loss"/> of a mini-batch is not finite or exceeds the threshold times the initial loss.</summary>
    public static void CheckBatch(RecurrentTrainingOptions options, TrainingState state, double loss, int epoch, int batch)
    {
        if (!double.IsFinite(loss))
            throw Diverged(options, $"in epoch {epoch}, mini-batch {batch}: the loss became {loss}");
        if (double.IsNaN(state.InitialLoss)) state.InitialLoss = loss;
        double scale = Math.Max(state.InitialLoss, MinimumScale);
        if (options.DivergenceThreshold > 0 && loss > options.DivergenceThreshold * scale)
            throw Diverged(options, $"in epoch {epoch}, mini-batch {batch}: the loss {loss:G4} is {loss / scale:G3} times the untrained model's ({state.InitialLoss:G4}), above DivergenceThreshold ({options.DivergenceThreshold})");
    }

    /// <summary>Throws when the epoch loss has risen in each of the last <see cref="RecurrentTrainingOptions.DivergencePatience"/> epochs to above the first epoch's.</summary>
    public static void CheckEpochs(RecurrentTrainingOptions options, IReadOnlyList<RecurrentEpochMetrics> history)
    {
        int patience = options.DivergencePatience;
        if (options.DivergenceThreshold == 0 || patience == 0 || history.Count <= patience) return;
        for (int i = history.Count - patience; i < history.Count; i++)
            if (!(history[i].TrainingLoss > history[i - 1].TrainingLoss)) return;
        double first = history[0].TrainingLoss, last = history[^1].TrainingLoss;
        if (last <= first) return;
        throw Diverged(options, $"by epoch {history[^1].Epoch}: the training loss rose for {patience} epochs in a row, from {history[history.Count - patience - 1].TrainingLoss:G4} to {last:G4}, above the first epoch's {first:G4} (DivergencePatience {patience})");
    }

    private static InvalidOperationException Diverged(RecurrentTrainingOptions options, string what) => new(
        $"Training diverged {what}. Lower LearningRate (now {options.LearningRate}) or clip gradients harder (GradientClipNorm, now {options.GradientClipNorm}).");
}
