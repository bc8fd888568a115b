namespace Microsoft.ML.Recurrent.Engine.Cells;

/// <summary>How a <see cref="Layers.RecurrentLayer"/> may run a cell's time steps; each cell names its one strategy.</summary>
internal enum StepStrategy
{
    /// <summary>
    /// A step is the full recurrent product added to the gates (b_hh folded into the input projection),
    /// then gate math with no state shared between rows: forward splits by units, backward by rows, and
    /// the W_hh gradient of all steps is one product over the gate gradients (LSTM, Elman).
    /// </summary>
    Separable,

    /// <summary>As <see cref="Separable"/>, but the backward gate math accumulates a gradient shared by all rows (peephole LSTM), so backward steps run on one thread.</summary>
    SeparableSharedBackward,

    /// <summary>
    /// The cell runs its own step on the full product of h_prev (not added to the gates) and leaves a
    /// recurrent gradient of its own, which the layer defers into one W_hh product (reset-after GRU).
    /// </summary>
    FusedDeferred,

    /// <summary>The cell does everything in its step, weight gradients included (reset-before GRU).</summary>
    SelfContained,
}
