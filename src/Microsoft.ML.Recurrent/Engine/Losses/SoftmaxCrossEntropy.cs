namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>
/// Softmax cross-entropy over rows of logits (PyTorch <c>CrossEntropyLoss</c>, reduction mean over
/// the rows that count). Rows are sequences (many-to-one) or packed steps (many-to-many); a row whose
/// label equals <c>ignoreLabel</c> is masked out and gets no gradient. With label smoothing e the target
/// distribution is (1 - e) on the label plus e / C on every class, as PyTorch's <c>label_smoothing</c>.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>Returns the mean loss over unmasked rows and writes dLoss/dLogits.</summary>
    /// <param name="logits">[R, C] scores.</param>
    /// <param name="classes">C.</param>
    /// <param name="labels">[R] class per row in [0, C), or <paramref name="ignoreLabel"/>.</param>
    /// <param name="gradient">[R, C] receives the gradient, or empty to skip.</param>
    /// <param name="ignoreLabel">Label value that masks a row.</param>
    /// <param name="labelSmoothing">e in [0, 1): the share of the target spread evenly over the classes.</param>
    public static double Compute(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> labels, Span<float> gradient, int ignoreLabel = -1, float labelSmoothing = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f)) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1).");
        if (logits.Length != labels.Length * classes)
            throw new ArgumentException($"logits hold {logits.Length} values; {labels.Length} rows of C={classes} need {labels.Length * classes}.", nameof(logits));
        if (!gradient.IsEmpty && gradient.Length != logits.Length)
            throw new ArgumentException($"gradient must hold {logits.Length} values but holds {gradient.Length}.", nameof(gradient));
        int counted = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            if (labels[r] == ignoreLabel) continue;
            if (labels[r] < 0 || labels[r] >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"labels[{r}] = {labels[r]} is outside the class range [0, {classes}).");
            counted++;
        }
        if (!gradient.IsEmpty) gradient.Clear();
        if (counted == 0) return 0;
        double total = 0;
        float scale = 1f / counted;
        for (int r = 0; r < labels.Length; r++)
        {
            if (labels[r] == ignoreLabel) continue;
            ReadOnlySpan<float> row = logits.Slice(r * classes, classes);
            double max = double.NegativeInfinity;
            foreach (float v in row) max = Math.Max(max, v);
            if (!double.IsFinite(max)) throw new ArgumentException($"Row {r} of the logits holds a non-finite value.", nameof(logits));
            double sum = 0;
            foreach (float v in row) sum += Math.Exp(v - max);
            double logSum = max + Math.Log(sum);
            double spread = 0;
            if (labelSmoothing > 0f) foreach (float v in row) spread += v;
            total += logSum - (1 - labelSmoothing) * row[labels[r]] - labelSmoothing * spread / classes;
            if (gradient.IsEmpty) continue;
            float even = labelSmoothing / classes, onLabel = 1f - labelSmoothing;
            for (int k = 0; k < classes; k++)
                gradient[r * classes + k] = scale * ((float)Math.Exp(row[k] - logSum) - even - (k == labels[r] ? onLabel : 0f));
        }
        return total / counted;
    }
}
