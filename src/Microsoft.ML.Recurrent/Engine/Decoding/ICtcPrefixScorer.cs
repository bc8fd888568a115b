namespace Microsoft.ML.Recurrent.Engine.Decoding;

/// <summary>
/// Scores the prefixes of a CTC prefix beam search (<see cref="CtcDecoder.BeamSearch{TState}"/>) beyond the acoustics:
/// each prefix carries a state, each growth by a label adds a log-score (negative infinity forbids it) and each
/// finished hypothesis adds a last one (e.g. the language model's end of sentence).
/// </summary>
/// <typeparam name="TState">What a prefix carries (its language-model context, its place in a lexicon).</typeparam>
public interface ICtcPrefixScorer<TState>
{
    /// <summary>The state of the empty prefix.</summary>
    TState Start();

    /// <summary>The log-score of growing a prefix in <paramref name="state"/> by <paramref name="label"/>, and the grown prefix's state.</summary>
    double Extend(TState state, int label, out TState next);

    /// <summary>The log-score of ending the hypothesis here (negative infinity rules it out).</summary>
    double Finish(TState state);
}
