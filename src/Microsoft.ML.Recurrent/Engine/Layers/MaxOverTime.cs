namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Max over the positions of a channel-major feature map (a character CNN's word vector: the strongest
/// response of each filter anywhere in the word). Forward remembers each channel's first maximal
/// position; backward routes the gradient there (as PyTorch's <c>max</c> does).
/// </summary>
public sealed class MaxOverTime
{
    private int[] _argMax = [];

    /// <summary>pooled[c] = max over l of input[c, l].</summary>
    /// <param name="input">[C, L] feature map.</param>
    /// <param name="length">L, at least 1.</param>
    /// <param name="pooled">[C] receives the maxima.</param>
    public void Forward(ReadOnlySpan<float> input, int length, Span<float> pooled)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        int channels = pooled.Length;
        if (input.Length != channels * length) throw new ArgumentException($"input must hold [C={channels}, L={length}] values but holds {input.Length}.", nameof(input));
        if (_argMax.Length < channels) _argMax = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> row = input.Slice(c * length, length);
            int best = 0;
            for (int l = 1; l < length; l++) if (row[l] > row[best]) best = l;
            _argMax[c] = best;
            pooled[c] = row[best];
        }
    }

    /// <summary>Adds dPooled [C] to dInput [C, L] at each channel's maximal position of the last forward call.</summary>
    public void Backward(ReadOnlySpan<float> dPooled, int length, Span<float> dInput)
    {
        for (int c = 0; c < dPooled.Length; c++) dInput[c * length + _argMax[c]] += dPooled[c];
    }
}
