namespace Microsoft.ML.Recurrent;

/// <summary>
/// How the probability of feeding the true previous symbol (teacher forcing) falls during training
/// (scheduled sampling, Bengio et al. 2015). With i the training step (mini-batch), S =
/// <c>LanguageModelOptions.TeacherForcingDecaySteps</c> and m = <c>LanguageModelOptions.MinimumTeacherForcing</c>:
/// </summary>
public enum TeacherForcingDecay
{
    /// <summary>Always teacher forcing (probability 1): the classic training of a language model.</summary>
    None,
    /// <summary>p = max(m, 1 - i / S).</summary>
    Linear,
    /// <summary>p = m + (1 - m) exp(-i / S).</summary>
    Exponential,
    /// <summary>p = m + (1 - m) S / (S + exp(i / S)) (S at least 1).</summary>
    InverseSigmoid,
}
