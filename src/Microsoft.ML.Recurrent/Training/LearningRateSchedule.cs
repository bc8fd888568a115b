namespace Microsoft.ML.Recurrent;

/// <summary>How the learning rate decays over epochs after the warm-up.</summary>
public enum LearningRateDecay
{
    /// <summary>Constant.</summary>
    None,
    /// <summary>Multiplied by <see cref="LearningRateSchedule.Gamma"/> every <see cref="LearningRateSchedule.StepEpochs"/> epochs.</summary>
    Step,
    /// <summary>Multiplied by <see cref="LearningRateSchedule.Gamma"/> after every epoch.</summary>
    Exponential,
    /// <summary>Half a cosine from the base rate at epoch 1 down to <see cref="LearningRateSchedule.MinimumLearningRate"/> at the last epoch.</summary>
    Cosine,
    /// <summary>Multiplied by <see cref="LearningRateSchedule.Gamma"/> when the validation metric (or, without validation data, the training loss) has not improved for <see cref="LearningRateSchedule.PlateauPatience"/> epochs.</summary>
    ReduceOnPlateau,
}

/// <summary>
/// The learning rate over a training run: an optional linear warm-up over the first optimizer steps,
/// then a per-epoch decay. The rate of epoch e is set before its first mini-batch; the warm-up
/// scales it by step / <see cref="WarmupSteps"/> during the first steps. The default is a constant rate.
/// </summary>
public sealed class LearningRateSchedule
{
    /// <summary>Optimizer steps over which the rate rises linearly from rate/WarmupSteps to the full rate; 0 for none.</summary>
    public int WarmupSteps { get; set; }

    /// <summary>The decay after the warm-up.</summary>
    public LearningRateDecay Decay { get; set; } = LearningRateDecay.None;

    /// <summary>Epochs between decays for <see cref="LearningRateDecay.Step"/>.</summary>
    public int StepEpochs { get; set; } = 10;

    /// <summary>The decay factor of <see cref="LearningRateDecay.Step"/>, <see cref="LearningRateDecay.Exponential"/> and <see cref="LearningRateDecay.ReduceOnPlateau"/>, in (0, 1).</summary>
    public float Gamma { get; set; } = 0.5f;

    /// <summary>Epochs without improvement before <see cref="LearningRateDecay.ReduceOnPlateau"/> lowers the rate.</summary>
    public int PlateauPatience { get; set; } = 2;

    /// <summary>The rate never decays below this (the end point of <see cref="LearningRateDecay.Cosine"/>).</summary>
    public float MinimumLearningRate { get; set; }

    /// <summary>The rate for a step of epoch <paramref name="epoch"/> (1-based) that is optimizer step <paramref name="step"/> (1-based) of the run.</summary>
    /// <param name="baseRate">The options' learning rate.</param>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="step">1-based optimizer step over the whole run.</param>
    /// <param name="epochs">Epochs of the run (the cosine's length).</param>
    /// <param name="plateauScale">The product of the reductions on plateau so far.</param>
    public float Rate(float baseRate, int epoch, long step, int epochs, float plateauScale)
    {
        double rate = Decay switch
        {
            LearningRateDecay.Step => baseRate * Math.Pow(Gamma, (epoch - 1) / StepEpochs),
            LearningRateDecay.Exponential => baseRate * Math.Pow(Gamma, epoch - 1),
            LearningRateDecay.Cosine => MinimumLearningRate + (baseRate - MinimumLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / Math.Max(1, epochs - 1))),
            LearningRateDecay.ReduceOnPlateau => baseRate * (double)plateauScale,
            _ => baseRate,
        };
        rate = Math.Max(rate, Math.Min(MinimumLearningRate, baseRate));
        if (WarmupSteps > 0 && step < WarmupSteps) rate *= (double)step / WarmupSteps;
        return (float)rate;
    }

    /// <summary>Throws on a setting outside its range, naming it.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupSteps, nameof(WarmupSteps));
        if (!Enum.IsDefined(Decay)) throw new ArgumentOutOfRangeException(nameof(Decay), Decay, "Unknown learning-rate decay.");
        ArgumentOutOfRangeException.ThrowIfLessThan(StepEpochs, 1, nameof(StepEpochs));
        if (!(Gamma > 0 && Gamma < 1)) throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "The decay factor Gamma must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfLessThan(PlateauPatience, 1, nameof(PlateauPatience));
        if (!(MinimumLearningRate >= 0 && float.IsFinite(MinimumLearningRate)))
            throw new ArgumentOutOfRangeException(nameof(MinimumLearningRate), MinimumLearningRate, "The minimum learning rate must be zero or positive.");
    }

    /// <summary>A text that changes whenever the schedule does (part of a checkpoint's fingerprint).</summary>
    public override string ToString() =>
        $"warm-up {WarmupSteps}, {Decay} decay (step {StepEpochs}, gamma {Gamma}, patience {PlateauPatience}, min {MinimumLearningRate})";
}
