namespace Microsoft.ML.Recurrent.Generation;

/// <summary>
/// Draws a symbol from a row of logits: softmax at a temperature, restricted to the top k symbols and to
/// the smallest set whose probability reaches top-p (nucleus sampling). Temperature 0 is the arg-max.
/// </summary>
internal static class SymbolSampler
{
    /// <summary>One draw from <paramref name="logits"/> [V]; <paramref name="scratch"/> holds at least V floats.</summary>
    public static int Sample(ReadOnlySpan<float> logits, float temperature, int topK, float topP, Random random, Span<float> scratch)
    {
        int v = logits.Length;
        if (temperature <= 0) return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
        Span<float> probabilities = scratch[..v];
        // exp((x - max) / T): the largest term is 1, so a small temperature underflows the others instead of overflowing.
        System.Numerics.Tensors.TensorPrimitives.Subtract(logits, System.Numerics.Tensors.TensorPrimitives.Max(logits), probabilities);
        System.Numerics.Tensors.TensorPrimitives.Divide(probabilities, temperature, probabilities);
        System.Numerics.Tensors.TensorPrimitives.SoftMax(probabilities, probabilities);
        if (topK <= 0 && topP >= 1)
        {
            double u = random.NextDouble(), sum = 0;
            for (int i = 0; i < v; i++)
            {
                sum += probabilities[i];
                if (u < sum) return i;
            }
            return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probabilities);
        }
        // Rank the symbols by probability (ties by id), keep the top k and the nucleus, draw among them.
        int[] order = [.. Enumerable.Range(0, v)];
        float[] keys = probabilities.ToArray();
        Array.Sort(keys.Select(p => -p).ToArray(), order);
        int kept = topK > 0 ? Math.Min(topK, v) : v;
        double mass = 0;
        for (int i = 0; i < kept; i++)
        {
            mass += keys[order[i]];
            if (mass >= topP) { kept = i + 1; break; }
        }
        double draw = random.NextDouble() * mass, cumulative = 0;
        for (int i = 0; i < kept; i++)
        {
            cumulative += keys[order[i]];
            if (draw < cumulative) return order[i];
        }
        return order[kept - 1];
    }
}
