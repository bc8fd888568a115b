using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Training;

/// <summary>The engine optimizer a <see cref="RecurrentOptimizer"/> option names.</summary>
internal static class OptimizerFactory
{
    /// <summary>Creates the optimizer of <paramref name="options"/> over <paramref name="parameters"/>.</summary>
    public static Optimizer Create(RecurrentTrainingOptions options, IReadOnlyList<Parameter> parameters) => options.Optimizer switch
    {
        RecurrentOptimizer.Adam => new Adam(parameters, options.LearningRate, weightDecay: options.WeightDecay),
        RecurrentOptimizer.AdamW => Adam.AdamW(parameters, options.LearningRate, options.WeightDecay),
        RecurrentOptimizer.Sgd => new Sgd(parameters, options.LearningRate, momentum: 0.9f, weightDecay: options.WeightDecay),
        RecurrentOptimizer.RmsProp => new RmsProp(parameters, options.LearningRate, weightDecay: options.WeightDecay),
        RecurrentOptimizer.Adagrad => new Adagrad(parameters, options.LearningRate, weightDecay: options.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer."),
    };
}
