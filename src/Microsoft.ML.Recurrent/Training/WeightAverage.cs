using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Training;

/// <summary>
/// The exponential moving average of a model's weights (<see cref="RecurrentTrainingOptions.WeightAveragingDecay"/>):
/// average = d * average + (1 - d) * weights after every step, with d = min(decay, (1 + t) / (10 + t)) at step t, and
/// the swap that lets the loop evaluate the averaged weights and then go on training the raw ones.
/// </summary>
internal static class WeightAverage
{
    /// <summary>A copy of the current weights (the average's start, the best epoch's snapshot, the raw weights while the average is evaluated).</summary>
    public static float[][] Copy(IReadOnlyList<Parameter> parameters) => [.. parameters.Select(p => p.Value.ToArray())];

    /// <summary>The decay used after optimizer step <paramref name="step"/> (1 for the first).</summary>
    public static float Decay(float decay, long step) => Math.Min(decay, (1f + step) / (10f + step));

    /// <summary>Folds the weights after step <paramref name="step"/> into <paramref name="average"/>.</summary>
    public static void Update(float[][] average, IReadOnlyList<Parameter> parameters, float decay, long step)
    {
        float d = Decay(decay, step);
        for (int i = 0; i < average.Length; i++)
        {
            TensorPrimitives.Multiply(average[i], d, average[i]);
            TensorPrimitives.MultiplyAdd(parameters[i].Value, 1 - d, average[i], average[i]);
        }
    }

    /// <summary>Runs <paramref name="body"/> with the averaged weights loaded (when there is an average), then puts the raw weights back.</summary>
    public static T WithAverage<T>(float[][]? average, IReadOnlyList<Parameter> parameters, Func<T> body)
    {
        if (average is null) return body();
        float[][] raw = Copy(parameters);
        Load(parameters, average);
        try { return body(); }
        finally { Load(parameters, raw); }
    }

    /// <summary>Loads <paramref name="values"/> into the parameters.</summary>
    public static void Load(IReadOnlyList<Parameter> parameters, float[][] values)
    {
        for (int i = 0; i < values.Length; i++) parameters[i].Load(values[i]);
    }
}
