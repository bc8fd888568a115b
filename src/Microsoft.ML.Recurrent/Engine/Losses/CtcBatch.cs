using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>
/// CTC loss and gradient for a whole batch, the fast path for training: sequences run in parallel on
/// the worker pool with reusable per-thread tables, and the forward-backward recursions work on
/// probabilities rescaled at every frame (Graves 2006, section 4.2) instead of log-sum-exp, so the
/// inner loops are multiply-adds. Results match <see cref="CtcLoss.Compute"/> (the log-space
/// reference) to float64 rounding; a sequence whose scaled recursion underflows is recomputed in log
/// space, so infeasible targets still give +inf (or 0 with <c>zeroInfinity</c>).
/// </summary>
public static class CtcBatch
{
    [ThreadStatic] private static double[]? t_table;

    /// <summary>
    /// Sums the CTC losses of B sequences of <paramref name="frames"/> frames and writes each
    /// sequence's gradient with respect to its logits.
    /// </summary>
    /// <param name="logits">[B, T, C] unnormalized scores, sequence-major.</param>
    /// <param name="frames">T.</param>
    /// <param name="classes">C, including the blank.</param>
    /// <param name="targets">B label sequences (no blanks).</param>
    /// <param name="blank">Blank index.</param>
    /// <param name="zeroInfinity">Count infeasible sequences as 0 instead of +inf.</param>
    /// <param name="gradient">[B, T, C] receives dLoss/dLogits.</param>
    /// <param name="losses">Receives each sequence's loss, or empty.</param>
    public static double Compute(ReadOnlySpan<float> logits, int frames, int classes, IReadOnlyList<int[]> targets,
        int blank, bool zeroInfinity, Span<float> gradient, Span<double> losses = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        int batch = targets.Count, width = frames * classes;
        if (frames < 1 || logits.Length != batch * width)
            throw new ArgumentException($"logits must hold B*T*C = {batch}*{frames}*{classes} values but hold {logits.Length}.", nameof(logits));
        if (gradient.Length != logits.Length) throw new ArgumentException($"gradient must hold {logits.Length} values but holds {gradient.Length}.", nameof(gradient));
        if (!losses.IsEmpty && losses.Length != batch) throw new ArgumentException($"losses must hold {batch} values but holds {losses.Length}.", nameof(losses));
        unsafe
        {
            fixed (float* pl = logits, pg = gradient)
            fixed (double* pr = losses)
            {
                double[] results = losses.IsEmpty ? new double[batch] : null!;
                fixed (double* own = results)
                {
                    var work = new Work(pl, pg, losses.IsEmpty ? own : pr, frames, classes, targets, blank, zeroInfinity);
                    WorkerPool.Run(batch, work);
                    double total = 0;
                    for (int b = 0; b < batch; b++) total += (losses.IsEmpty ? own : pr)[b];
                    return total;
                }
            }
        }
    }

    /// <summary>
    /// The same over a packed batch of sequences of their own lengths: logits [N, C] on
    /// <paramref name="layout"/> (e.g. an acoustic model's per-frame outputs), targets in the layout's
    /// sorted order, gradient [N, C] packed likewise.
    /// </summary>
    /// <param name="layout">Batch layout (frames per sequence).</param>
    /// <param name="logits">[N, C] unnormalized scores, packed.</param>
    /// <param name="classes">C, including the blank.</param>
    /// <param name="targets">B label sequences (no blanks), in the layout's sorted order.</param>
    /// <param name="blank">Blank index.</param>
    /// <param name="zeroInfinity">Count infeasible sequences as 0 instead of +inf.</param>
    /// <param name="gradient">[N, C] receives dLoss/dLogits.</param>
    /// <param name="losses">Receives each sequence's loss, or empty.</param>
    public static double Compute(Tensors.SequenceLayout layout, ReadOnlySpan<float> logits, int classes, IReadOnlyList<int[]> targets,
        int blank, bool zeroInfinity, Span<float> gradient, Span<double> losses = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(targets);
        int batch = layout.BatchSize;
        if (targets.Count != batch) throw new ArgumentException($"{targets.Count} targets for {batch} sequences.", nameof(targets));
        if (classes < 1 || logits.Length != layout.TotalSteps * classes)
            throw new ArgumentException($"logits must hold [N={layout.TotalSteps}, C={classes}] values but hold {logits.Length}.", nameof(logits));
        if (gradient.Length != logits.Length) throw new ArgumentException($"gradient must hold {logits.Length} values but holds {gradient.Length}.", nameof(gradient));
        if (!losses.IsEmpty && losses.Length != batch) throw new ArgumentException($"losses must hold {batch} values but holds {losses.Length}.", nameof(losses));
        double[] results = losses.IsEmpty ? new double[batch] : null!;
        unsafe
        {
            fixed (float* pl = logits, pg = gradient)
            fixed (double* pr = losses, own = results)
            {
                double* sink = losses.IsEmpty ? own : pr;
                WorkerPool.Run(batch, new PackedWork(layout, pl, pg, sink, classes, targets, blank, zeroInfinity));
                double total = 0;
                for (int b = 0; b < batch; b++) total += sink[b];
                return total;
            }
        }
    }

    private sealed unsafe class PackedWork(Tensors.SequenceLayout layout, float* logits, float* gradient, double* losses, int classes,
        IReadOnlyList<int[]> targets, int blank, bool zeroInfinity) : IParallelWork
    {
        [ThreadStatic] private static float[]? t_rows, t_dRows;

        public void Execute(int b)
        {
            int frames = layout.Lengths[b], width = frames * classes, n = layout.TotalSteps * classes;
            float[] rows = t_rows is { } r && r.Length >= width ? r : t_rows = new float[width];
            float[] dRows = t_dRows is { } d && d.Length >= width ? d : t_dRows = new float[width];
            layout.CopySequence(b, new ReadOnlySpan<float>(logits, n), classes, rows);
            losses[b] = Sequence(rows.AsSpan(0, width), frames, classes, targets[b], blank, zeroInfinity, dRows.AsSpan(0, width));
            layout.WriteSequence(b, dRows.AsSpan(0, width), classes, new Span<float>(gradient, n));
        }
    }

    private sealed unsafe class Work(float* logits, float* gradient, double* losses, int frames, int classes,
        IReadOnlyList<int[]> targets, int blank, bool zeroInfinity) : IParallelWork
    {
        public void Execute(int b)
        {
            int width = frames * classes;
            var x = new ReadOnlySpan<float>(logits + (long)b * width, width);
            var g = new Span<float>(gradient + (long)b * width, width);
            losses[b] = Sequence(x, frames, classes, targets[b], blank, zeroInfinity, g);
        }
    }

    /// <summary>One sequence by scaled forward-backward; falls back to the log-space reference on underflow.</summary>
    private static double Sequence(ReadOnlySpan<float> logits, int frames, int classes, int[] target, int blank, bool zeroInfinity, Span<float> gradient)
    {
        int states = 2 * target.Length + 1;
        for (int i = 0; i < target.Length; i++)
            if ((uint)target[i] >= (uint)classes || target[i] == blank)
                throw new ArgumentOutOfRangeException(nameof(target), $"target label {target[i]} at position {i} is the blank or outside [0, {classes}).");
        int need = frames * classes + 2 * frames * states + classes;
        double[] table = t_table is { } cached && cached.Length >= need ? cached : t_table = new double[need];
        Span<double> y = table.AsSpan(0, frames * classes), alpha = table.AsSpan(frames * classes, frames * states);
        Span<double> beta = table.AsSpan(frames * classes + frames * states, frames * states), post = table.AsSpan(need - classes, classes);

        // Softmax per frame (float64).
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> row = logits.Slice(t * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float v in row) { if (!float.IsFinite(v)) throw new ArgumentException($"logits[{t * classes}..] hold {v}; logits must be finite.", nameof(logits)); if (v > max) max = v; }
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += y[t * classes + k] = Math.Exp((double)row[k] - max);
            for (int k = 0; k < classes; k++) y[t * classes + k] /= sum;
        }

        double logLikelihood = 0;
        alpha.Slice(0, states).Clear();
        alpha[0] = y[blank];
        if (states > 1) alpha[1] = y[target[0]];
        for (int t = 0; t < frames; t++)
        {
            Span<double> a = alpha.Slice(t * states, states);
            if (t > 0)
            {
                ReadOnlySpan<double> prev = alpha.Slice((t - 1) * states, states);
                ReadOnlySpan<double> yt = y.Slice(t * classes, classes);
                for (int s = 0; s < states; s++)
                {
                    double v = prev[s];
                    if (s >= 1) v += prev[s - 1];
                    if (CanSkip(target, s)) v += prev[s - 2];
                    a[s] = v * yt[(s & 1) == 0 ? blank : target[s >> 1]];
                }
            }
            double scale = 0;
            foreach (double v in a) scale += v;
            if (!(scale > 0) || !double.IsFinite(scale)) return Fallback(logits, classes, target, blank, zeroInfinity, gradient);
            for (int s = 0; s < states; s++) a[s] /= scale;
            logLikelihood += Math.Log(scale);
        }
        int lastRow = (frames - 1) * states;
        double end = alpha[lastRow + states - 1] + (states > 1 ? alpha[lastRow + states - 2] : 0);
        if (!(end > 0)) return Fallback(logits, classes, target, blank, zeroInfinity, gradient);
        logLikelihood += Math.Log(end);

        beta.Slice(lastRow, states).Clear();
        double yb = y[(frames - 1) * classes + blank];
        beta[lastRow + states - 1] = yb;
        if (states > 1) beta[lastRow + states - 2] = y[(frames - 1) * classes + target[^1]];
        for (int t = frames - 1; t >= 0; t--)
        {
            Span<double> bt = beta.Slice(t * states, states);
            if (t < frames - 1)
            {
                ReadOnlySpan<double> next = beta.Slice((t + 1) * states, states);
                ReadOnlySpan<double> yt = y.Slice(t * classes, classes);
                for (int s = 0; s < states; s++)
                {
                    double v = next[s];
                    if (s + 1 < states) v += next[s + 1];
                    if (s + 2 < states && CanSkip(target, s + 2)) v += next[s + 2];
                    bt[s] = v * yt[(s & 1) == 0 ? blank : target[s >> 1]];
                }
            }
            double scale = 0;
            foreach (double v in bt) scale += v;
            if (!(scale > 0) || !double.IsFinite(scale)) return Fallback(logits, classes, target, blank, zeroInfinity, gradient);
            for (int s = 0; s < states; s++) bt[s] /= scale;

            // Posterior of each class at frame t: sum over its states of alpha*beta/y, normalized.
            ReadOnlySpan<double> at = alpha.Slice(t * states, states), ytk = y.Slice(t * classes, classes);
            post.Clear();
            double z = 0;
            for (int s = 0; s < states; s++)
            {
                int k = (s & 1) == 0 ? blank : target[s >> 1];
                double v = at[s] * bt[s] / ytk[k];
                post[k] += v;
                z += v;
            }
            for (int k = 0; k < classes; k++) gradient[t * classes + k] = (float)(ytk[k] - post[k] / z);
        }
        return -logLikelihood;
    }

    private static double Fallback(ReadOnlySpan<float> logits, int classes, int[] target, int blank, bool zeroInfinity, Span<float> gradient) =>
        CtcLoss.Compute(logits, classes, target, blank, zeroInfinity, gradient);

    private static bool CanSkip(int[] target, int s) => (s & 1) == 1 && s >= 3 && target[s >> 1] != target[(s >> 1) - 1];
}
