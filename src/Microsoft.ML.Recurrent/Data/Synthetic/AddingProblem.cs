namespace Microsoft.ML.Recurrent.Data.Synthetic;

/// <summary>
/// The adding problem (Hochreiter and Schmidhuber 1997; Le et al. 2015): each step carries a random
/// value in [0, 1) and a marker; exactly two steps are marked, one in each half of the sequence, and
/// the target is the sum of the two marked values. Predicting the mean (1.0) scores an MSE of 1/6
/// (about 0.167), so a model must remember across the whole sequence to beat it.
/// </summary>
public static class AddingProblem
{
    /// <summary>The MSE of always predicting the expected sum (variance of a sum of two U(0,1)): 1/6.</summary>
    public const double BaselineMse = 1.0 / 6.0;

    /// <summary>Features per step: the value and the marker.</summary>
    public const int Features = 2;

    /// <summary>
    /// Draws <paramref name="batch"/> sequences of <paramref name="length"/> steps into a packed
    /// time-major buffer (all sequences have the same length, so row <c>t*batch + b</c> is step t of
    /// sequence b).
    /// </summary>
    /// <param name="batch">B.</param>
    /// <param name="length">T, at least 2.</param>
    /// <param name="random">Source of randomness.</param>
    /// <param name="input">[T*B, 2] receives (value, marker) per step.</param>
    /// <param name="targets">[B] receives the sums.</param>
    public static void Sample(int batch, int length, Random random, Span<float> input, Span<float> targets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        ArgumentNullException.ThrowIfNull(random);
        if (input.Length != batch * length * Features) throw new ArgumentException($"input must hold {batch * length * Features} values ([T*B={length * batch}, 2]).", nameof(input));
        if (targets.Length != batch) throw new ArgumentException($"targets must hold {batch} values.", nameof(targets));
        int half = length / 2;
        for (int b = 0; b < batch; b++)
        {
            int first = random.Next(half), second = half + random.Next(length - half);
            float sum = 0;
            for (int t = 0; t < length; t++)
            {
                int row = (t * batch + b) * Features;
                float value = (float)random.NextDouble();
                bool marked = t == first || t == second;
                input[row] = value;
                input[row + 1] = marked ? 1f : 0f;
                if (marked) sum += value;
            }
            targets[b] = sum;
        }
    }
}
