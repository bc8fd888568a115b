namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// How a window of a scaled series becomes the network's input steps and targets. The input has
/// <see cref="WindowSize"/> observed steps before the origin o (rows o-W .. o-1), then, when there are known
/// covariates or a season, <see cref="Outputs"/> future steps (rows o .. o+Hm-1). Each step's frame is
/// [value (relative to the last observed one, with LastValue), level (LastValue only), past covariates,
/// known covariates, seasonal value (with a season), observed flag]; a future step has zeros but for its known
/// covariates and its seasonal value: the latest observed value of its phase, row o+h - s(1 + h div s), relative
/// like the values (observed steps carry 0 there: their own value is in the frame). Targets are the Hm values
/// from the origin on, relative to the last observed one with LastValue.
/// </summary>
/// <param name="WindowSize">W, observed steps.</param>
/// <param name="Outputs">Hm, values the network predicts per origin (H for the direct strategy, 1 for the recursive one).</param>
/// <param name="PastCount">P, past-only covariates (channels 1 .. P).</param>
/// <param name="KnownCount">K, known covariates (channels P+1 .. P+K).</param>
/// <param name="Normalization">Whether values are relative to the window's last one.</param>
/// <param name="Season">s, the season in rows (at most W), or 0 for none.</param>
internal sealed record ForecastFrames(int WindowSize, int Outputs, int PastCount, int KnownCount, ForecastNormalization Normalization, int Season = 0)
{
    private bool Relative => Normalization == ForecastNormalization.LastValue;

    /// <summary>Steps per input sequence.</summary>
    public int Steps => WindowSize + (KnownCount > 0 || Season > 0 ? Outputs : 0);

    /// <summary>Floats per step.</summary>
    public int FrameSize => (Relative ? 2 : 1) + PastCount + KnownCount + (Season > 0 ? 1 : 0) + 1;

    /// <summary>Rows a forecast from origin o reads: o-W .. o+Hm-1 (known covariates of the future rows included).</summary>
    public int RowsNeeded => WindowSize + Outputs;

    /// <summary>The value targets are relative to: the last observed scaled value with LastValue, else 0.</summary>
    public float Level(float[][] scaled, int origin) => Relative ? scaled[0][origin - 1] : 0f;

    /// <summary>Writes the input of origin <paramref name="origin"/> as sequence <paramref name="b"/> of a packed, time-major batch of <paramref name="batchSize"/> equal-length sequences.</summary>
    /// <param name="scaled">[C][rows] scaled channels; rows origin-W .. origin-1 are read, and origin .. origin+Hm-1 of the known channels.</param>
    /// <param name="origin">The first forecast row.</param>
    /// <param name="b">Position in the batch.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="packed">[Steps * B * FrameSize] input; row (t, b) starts at (t * B + b) * FrameSize.</param>
    public void FillInput(float[][] scaled, int origin, int b, int batchSize, Span<float> packed)
    {
        int f = FrameSize, known = 1 + PastCount;
        float level = Level(scaled, origin);
        for (int t = 0; t < Steps; t++)
        {
            Span<float> frame = packed.Slice((t * batchSize + b) * f, f);
            int row = origin - WindowSize + t, k = 0;
            bool observed = t < WindowSize;
            float value = observed ? scaled[0][row] : 0f;
            frame[k++] = observed ? value - level : 0f;
            if (Relative) frame[k++] = value;
            for (int c = 1; c < known; c++) frame[k++] = observed ? scaled[c][row] : 0f;
            for (int c = known; c < known + KnownCount; c++) frame[k++] = scaled[c][row];
            if (Season > 0) frame[k++] = observed ? 0f : scaled[0][row - Season * (1 + (row - origin) / Season)] - level;
            frame[k] = observed ? 1f : 0f;
        }
    }

    /// <summary>Writes the W observed values of origin <paramref name="origin"/> as the network reads them (relative to the last with LastValue): the linear part's input.</summary>
    public void FillWindow(float[][] scaled, int origin, Span<float> window)
    {
        float level = Level(scaled, origin);
        for (int t = 0; t < WindowSize; t++) window[t] = scaled[0][origin - WindowSize + t] - level;
    }

    /// <summary>Writes the Hm targets of origin <paramref name="origin"/>.</summary>
    public void FillTargets(float[][] scaled, int origin, Span<float> targets)
    {
        float level = Level(scaled, origin);
        for (int h = 0; h < Outputs; h++) targets[h] = scaled[0][origin + h] - level;
    }
}
