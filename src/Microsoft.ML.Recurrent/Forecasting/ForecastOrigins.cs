using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>
/// The forecast origins of a training series, split in time: the latest origins are held out (validation and
/// interval calibration) and the training origins are those whose targets all come before the first held-out one.
/// </summary>
internal sealed class ForecastOrigins
{
    private ForecastOrigins(int[] train, int[] validation, int scalingRows)
    {
        Train = train;
        Validation = validation;
        ScalingRows = scalingRows;
    }

    /// <summary>Origins to train on.</summary>
    public int[] Train { get; }

    /// <summary>Held-out origins (each with a whole horizon of targets), empty without validation.</summary>
    public int[] Validation { get; }

    /// <summary>Rows [0, ScalingRows) the scaling is learned from: every row before the held-out targets.</summary>
    public int ScalingRows { get; }

    /// <summary>Splits the origins of a series of <paramref name="length"/> rows.</summary>
    /// <param name="length">n, rows of the series.</param>
    /// <param name="window">W.</param>
    /// <param name="horizon">H, values forecast per origin.</param>
    /// <param name="outputs">Hm, values the network learns per origin (H, or 1 for the recursive strategy).</param>
    /// <param name="validationFraction">Share of the H-step origins held out.</param>
    /// <param name="column">The series column, for errors.</param>
    public static ForecastOrigins Split(int length, int window, int horizon, int outputs, float validationFraction, string column)
    {
        int full = length - horizon - window + 1;
        if (full < 1)
            throw new ArgumentException($"The series '{column}' has {length} rows; a window of {window} and a horizon of {horizon} need at least {window + horizon}.");
        int held = (int)Math.Round(full * (double)validationFraction);
        if (held == 0) return new ForecastOrigins([.. Enumerable.Range(window, length - outputs - window + 1)], [], length);
        int firstHeld = length - horizon - held + 1;
        int[] train = [.. Enumerable.Range(window, Math.Max(0, firstHeld - outputs - window + 1))];
        if (train.Length == 0)
            throw new ArgumentException($"The series '{column}' has {length} rows: after holding out the last {held} forecast origins (ValidationFraction {validationFraction}) no window of {window} with {outputs} targets is left to train on. Use a longer series, a smaller window or ValidationFraction 0.");
        return new ForecastOrigins(train, [.. Enumerable.Range(firstHeld, held)], firstHeld);
    }
}

/// <summary>Forecast origins in memory as mini-batches (shuffled passes shuffle them all).</summary>
internal sealed class OriginBatches(IReadOnlyList<int> origins) : IExampleSource<int>
{
    public IEnumerable<IReadOnlyList<int>> Batches(int batchSize, Random? shuffle, int bufferSize) =>
        ExampleBatches.From(origins, batchSize, shuffle, bufferSize);
}
