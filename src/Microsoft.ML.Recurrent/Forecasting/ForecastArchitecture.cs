namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>The shape of a <see cref="ForecastNetwork"/>.</summary>
/// <param name="Cell">Recurrent cell.</param>
/// <param name="InputSize">Floats per step (<see cref="ForecastFrames.FrameSize"/>).</param>
/// <param name="HiddenSize">Hidden units per layer.</param>
/// <param name="NumLayers">Stacked layers.</param>
/// <param name="Dropout">Dropout on the recurrent input, between layers and before the head.</param>
/// <param name="Outputs">Scores per window: Hm, or 3 Hm with quantiles.</param>
/// <param name="ReadSteps">Steps the head reads: the last Hm (the future steps, one forecast each) when the input has them, else 1 (the last state, all forecasts).</param>
/// <param name="WindowSize">W, the values the linear part reads.</param>
/// <param name="Linear">Whether there is a linear autoregressive part.</param>
internal sealed record ForecastArchitecture(CellType Cell, int InputSize, int HiddenSize, int NumLayers, float Dropout, int Outputs, int ReadSteps, int WindowSize, bool Linear)
{
    /// <summary>Scores the head gives per step it reads.</summary>
    public int OutputsPerStep => Outputs / ReadSteps;

    /// <summary>Throws when a size is out of range or the outputs do not divide among the steps read.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Unknown cell type.");
        ArgumentOutOfRangeException.ThrowIfLessThan(InputSize, 1, nameof(InputSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumLayers, 1, nameof(NumLayers));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadSteps, 1, nameof(ReadSteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowSize, 1, nameof(WindowSize));
        if (Outputs < 1 || Outputs % ReadSteps != 0) throw new ArgumentOutOfRangeException(nameof(Outputs), Outputs, $"The outputs must be a positive multiple of the {ReadSteps} steps read.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
    }
}
