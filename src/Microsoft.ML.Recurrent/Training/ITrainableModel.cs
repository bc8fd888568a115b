using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Training;

/// <summary>
/// What <see cref="TrainingLoop{TExample}"/> needs of a model: its parameters, the loss and gradients of
/// a training mini-batch, and a validation pass. Each task family implements it once around its
/// network and objective; the loop owns everything else (optimizer, schedule, clipping, epochs,
/// early stopping, checkpoints, divergence, progress).
/// </summary>
/// <typeparam name="TExample">One training example of the family.</typeparam>
internal interface ITrainableModel<TExample>
{
    /// <summary>Every trained parameter, in a fixed order (checkpoints and the best epoch's weights rely on it).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The validation metric's name (e.g. "accuracy", "RMSE", "F1").</summary>
    string MetricName { get; }

    /// <summary>Whether a larger validation metric is better.</summary>
    bool HigherIsBetter { get; }

    /// <summary>
    /// Forward and backward on one mini-batch with dropout active, adding into the parameters'
    /// gradients (zero on entry). Returns the batch's mean loss; a non-finite loss stops training
    /// and its gradients are not used.
    /// </summary>
    /// <param name="batch">The examples (at least one).</param>
    /// <param name="random">This epoch's random source (dropout masks); the loop's shuffling draws from it too.</param>
    double TrainBatch(IReadOnlyList<TExample> batch, Random random);

    /// <summary>Mean loss and metric over all <paramref name="batches"/>, with dropout off and no gradients.</summary>
    (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<TExample>> batches);
}

/// <summary>Streams a family's examples as mini-batches, one pass per call.</summary>
/// <typeparam name="TExample">One example.</typeparam>
internal interface IExampleSource<TExample>
{
    /// <summary>
    /// Mini-batches of at most <paramref name="batchSize"/> examples: in data order when
    /// <paramref name="shuffle"/> is null, otherwise shuffled within chunks of <paramref name="bufferSize"/>.
    /// </summary>
    IEnumerable<IReadOnlyList<TExample>> Batches(int batchSize, Random? shuffle, int bufferSize);
}
