using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>
/// Connectionist temporal classification loss (Graves et al. 2006) for one sequence, in log space
/// and float64: <c>-log p(target | x)</c> summed over all alignments, with any blank index, empty
/// targets, and infeasible targets (too long for the input) giving +inf, or 0 with
/// <c>zeroInfinity</c>. The gradient is taken with respect to the logits through log_softmax, as
/// PyTorch's <c>ctc_loss(log_softmax(x))</c>; infeasible sequences get a zero gradient.
/// </summary>
public static class CtcLoss
{
    /// <summary>The fewest frames an alignment of <paramref name="target"/> needs: one per label and a blank between equal neighbours.</summary>
    public static int MinimumFrames(ReadOnlySpan<int> target)
    {
        int frames = target.Length;
        for (int i = 1; i < target.Length; i++)
            if (target[i] == target[i - 1]) frames++;
        return frames;
    }

    /// <summary>Computes the loss of one sequence and, optionally, its gradient.</summary>
    /// <param name="logits">[T, C] unnormalized scores (log-probabilities work too: log_softmax leaves them unchanged).</param>
    /// <param name="classes">C, including the blank.</param>
    /// <param name="target">Labels in [0, C), none equal to <paramref name="blank"/>; may be empty.</param>
    /// <param name="blank">Index of the blank class.</param>
    /// <param name="zeroInfinity">Return 0 (and a zero gradient) instead of +inf for an infeasible target.</param>
    /// <param name="gradient">[T, C] receives dLoss/dLogits, or empty to skip.</param>
    /// <returns>The loss, -log p(target | x).</returns>
    public static double Compute(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> target, int blank,
        bool zeroInfinity, Span<float> gradient)
    {
        int frames = Validate(logits, classes, target, blank);
        if (!gradient.IsEmpty && gradient.Length != logits.Length)
            throw new ArgumentException($"gradient must hold {logits.Length} values ([T={frames}, C={classes}]) but holds {gradient.Length}.", nameof(gradient));
        double[] lp = new double[logits.Length];
        LogSpace.LogSoftmax(logits, frames, classes, lp);
        int states = 2 * target.Length + 1;
        double[] alpha = new double[frames * states];
        double logLikelihood = Alpha(lp, frames, classes, target, blank, alpha);
        if (double.IsNegativeInfinity(logLikelihood))
        {
            if (!gradient.IsEmpty) gradient.Clear();
            return zeroInfinity ? 0 : double.PositiveInfinity;
        }
        if (gradient.IsEmpty) return -logLikelihood;

        double[] beta = new double[frames * states];
        Beta(lp, frames, classes, target, blank, beta);
        double[] posterior = new double[classes];
        for (int t = 0; t < frames; t++)
        {
            Array.Fill(posterior, double.NegativeInfinity);
            for (int s = 0; s < states; s++)
            {
                int k = Label(target, blank, s);
                posterior[k] = LogSpace.Add(posterior[k], alpha[t * states + s] + beta[t * states + s]);
            }
            for (int k = 0; k < classes; k++)
            {
                double l = lp[t * classes + k];
                // alpha and beta both include frame t's emission, hence the extra -l.
                gradient[t * classes + k] = (float)(Math.Exp(l) - Math.Exp(posterior[k] - l - logLikelihood));
            }
        }
        return -logLikelihood;
    }

    /// <summary>log p(target | x) for log-probabilities <paramref name="logProbs"/> [T, C] (exact, by the forward recursion).</summary>
    public static double LogProbability(ReadOnlySpan<float> logProbs, int classes, ReadOnlySpan<int> target, int blank) =>
        -Compute(logProbs, classes, target, blank, zeroInfinity: false, default);

    private static int Validate(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> target, int blank)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "CTC needs at least two classes (a blank and a label).");
        if (blank < 0 || blank >= classes) throw new ArgumentOutOfRangeException(nameof(blank), blank, $"The blank index must be in [0, {classes}).");
        if (logits.Length == 0 || logits.Length % classes != 0)
            throw new ArgumentException($"logits hold {logits.Length} values, not a positive multiple of C={classes}.", nameof(logits));
        Guard.Finite(logits, nameof(logits));
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] < 0 || target[i] >= classes) throw new ArgumentOutOfRangeException(nameof(target), $"target[{i}] = {target[i]} is outside the class range [0, {classes}).");
            if (target[i] == blank) throw new ArgumentException($"target[{i}] is the blank index {blank}; targets may not contain the blank.", nameof(target));
        }
        return logits.Length / classes;
    }

    /// <summary>The class of extended state s: blanks at even states, target labels at odd ones.</summary>
    private static int Label(ReadOnlySpan<int> target, int blank, int s) => (s & 1) == 0 ? blank : target[s >> 1];

    /// <summary>Whether state s may be entered from s-2 (a label differing from the previous label).</summary>
    private static bool CanSkip(ReadOnlySpan<int> target, int s) => (s & 1) == 1 && s >= 3 && target[s >> 1] != target[(s >> 1) - 1];

    private static double Alpha(double[] lp, int frames, int classes, ReadOnlySpan<int> target, int blank, double[] alpha)
    {
        int states = 2 * target.Length + 1;
        Array.Fill(alpha, double.NegativeInfinity);
        alpha[0] = lp[blank];
        if (states > 1) alpha[1] = lp[target[0]];
        for (int t = 1; t < frames; t++)
        {
            int row = t * states, prev = row - states;
            for (int s = 0; s < states; s++)
            {
                double a = alpha[prev + s];
                if (s >= 1) a = LogSpace.Add(a, alpha[prev + s - 1]);
                if (CanSkip(target, s)) a = LogSpace.Add(a, alpha[prev + s - 2]);
                alpha[row + s] = a + lp[t * classes + Label(target, blank, s)];
            }
        }
        int last = (frames - 1) * states + states - 1;
        return states > 1 ? LogSpace.Add(alpha[last], alpha[last - 1]) : alpha[last];
    }

    private static void Beta(double[] lp, int frames, int classes, ReadOnlySpan<int> target, int blank, double[] beta)
    {
        int states = 2 * target.Length + 1;
        Array.Fill(beta, double.NegativeInfinity);
        int lastRow = (frames - 1) * states;
        beta[lastRow + states - 1] = lp[(frames - 1) * classes + blank];
        if (states > 1) beta[lastRow + states - 2] = lp[(frames - 1) * classes + target[^1]];
        for (int t = frames - 2; t >= 0; t--)
        {
            int row = t * states, next = row + states;
            for (int s = 0; s < states; s++)
            {
                double b = beta[next + s];
                if (s + 1 < states) b = LogSpace.Add(b, beta[next + s + 1]);
                if (s + 2 < states && CanSkip(target, s + 2)) b = LogSpace.Add(b, beta[next + s + 2]);
                beta[row + s] = b + lp[t * classes + Label(target, blank, s)];
            }
        }
    }
}
