namespace Microsoft.ML.Recurrent.Generation;

/// <summary>The probability of teacher forcing at each training step (see <see cref="TeacherForcingDecay"/>).</summary>
internal sealed class TeacherForcingSchedule(TeacherForcingDecay decay, int decaySteps, float minimum)
{
    /// <summary>p at training step <paramref name="step"/> (0-based).</summary>
    public double Probability(long step)
    {
        double s = decaySteps, m = minimum;
        return decay switch
        {
            TeacherForcingDecay.None => 1,
            TeacherForcingDecay.Linear => Math.Max(m, 1 - step / s),
            TeacherForcingDecay.Exponential => m + (1 - m) * Math.Exp(-step / s),
            TeacherForcingDecay.InverseSigmoid => m + (1 - m) * s / (s + Math.Exp(Math.Min(step / s, 700))),
            _ => throw new ArgumentOutOfRangeException(nameof(decay), decay, "Unknown decay."),
        };
    }
}
