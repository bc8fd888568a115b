namespace Microsoft.ML.Recurrent;

/// <summary>
/// Options of the recurrent language model: a text column in (each row a text; rows are joined, each
/// ending with an end-of-text symbol), a model of the next symbol out. The defaults train a character-level
/// 2-layer LSTM of 256 units over 128-wide embeddings with truncated BPTT over windows of 128 symbols on 32
/// parallel streams (<see cref="RecurrentTrainingOptions.BatchSize"/> is the number of streams, or of texts per batch for short texts), teacher
/// forcing throughout, and early stopping on the validation cross-entropy. Optimization, validation,
/// checkpoints and progress are those of <see cref="RecurrentTrainingOptions"/>.
/// </summary>
public sealed class LanguageModelOptions : RecurrentTrainingOptions
{
    /// <summary>Creates the options with the language model's defaults (learning rate 2e-3, 20 epochs).</summary>
    public LanguageModelOptions()
    {
        LearningRate = 2e-3f;
        NumberOfEpochs = 20;
    }

    /// <summary>The text column (a scalar of text): the training texts, and the prompts when the model transforms data.</summary>
    public string TextColumnName { get; set; } = "Text";

    /// <summary>Characters or words.</summary>
    public SymbolUnit Unit { get; set; } = SymbolUnit.Character;

    /// <summary>Symbols seen fewer times in training become the unknown symbol.</summary>
    public int MinimumSymbolFrequency { get; set; } = 1;

    /// <summary>The recurrent cell (LSTM or GRU are the usual choices).</summary>
    public CellType Cell { get; set; } = CellType.Lstm;

    /// <summary>Width of the symbol embeddings.</summary>
    public int EmbeddingSize { get; set; } = 128;

    /// <summary>Hidden units of each layer.</summary>
    public int HiddenSize { get; set; } = 256;

    /// <summary>Stacked layers.</summary>
    public int NumberOfLayers { get; set; } = 2;

    /// <summary>Variational dropout on the recurrent input, between layers and on the top layer's output, in [0, 1).</summary>
    public float Dropout { get; set; } = 0.2f;

    /// <summary>Whether the output layer shares the embedding's weights (needs <see cref="EmbeddingSize"/> = <see cref="HiddenSize"/>).</summary>
    public bool TieWeights { get; set; }

    /// <summary>
    /// T: steps of each truncated-BPTT window; the state carries over from one window to the next. When every training
    /// text fits in a window (with its end-of-text symbol), texts train instead as independent sequences from a zero
    /// state, <see cref="RecurrentTrainingOptions.BatchSize"/> shuffled texts per batch (as generation starts from a zero state).
    /// </summary>
    public int SequenceLength { get; set; } = 128;

    /// <summary>How the teacher-forcing probability decays (scheduled sampling); None trains with teacher forcing only.</summary>
    public TeacherForcingDecay TeacherForcingDecay { get; set; } = TeacherForcingDecay.None;

    /// <summary>S, the decay's scale in training steps (mini-batches) (see <see cref="Recurrent.TeacherForcingDecay"/>).</summary>
    public int TeacherForcingDecaySteps { get; set; } = 1000;

    /// <summary>m, the lowest teacher-forcing probability the decay reaches, in [0, 1].</summary>
    public float MinimumTeacherForcing { get; set; }

    /// <summary>
    /// Called after each epoch with the epoch number and a generator over the weights of that moment (e.g. to print
    /// samples as training goes), or null.
    /// </summary>
    public Action<int, TextGenerator>? EpochEnded { get; set; }

    /// <summary>Throws when an option is out of range.</summary>
    internal override void Validate()
    {
        base.Validate();
        ArgumentException.ThrowIfNullOrEmpty(TextColumnName, nameof(TextColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumSymbolFrequency, 1, nameof(MinimumSymbolFrequency));
        ArgumentOutOfRangeException.ThrowIfLessThan(EmbeddingSize, 1, nameof(EmbeddingSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumberOfLayers, 1, nameof(NumberOfLayers));
        ArgumentOutOfRangeException.ThrowIfLessThan(SequenceLength, 1, nameof(SequenceLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(TeacherForcingDecaySteps, 1, nameof(TeacherForcingDecaySteps));
        CheckProbability(Dropout, nameof(Dropout));
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Unknown cell type.");
        if (!Enum.IsDefined(Unit)) throw new ArgumentOutOfRangeException(nameof(Unit), Unit, "Unknown unit.");
        if (!Enum.IsDefined(TeacherForcingDecay)) throw new ArgumentOutOfRangeException(nameof(TeacherForcingDecay), TeacherForcingDecay, "Unknown decay.");
        if (!(MinimumTeacherForcing >= 0f && MinimumTeacherForcing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(MinimumTeacherForcing), MinimumTeacherForcing, "The minimum teacher-forcing probability must be in [0, 1].");
        if (TieWeights && EmbeddingSize != HiddenSize)
            throw new ArgumentException($"TieWeights needs EmbeddingSize ({EmbeddingSize}) = HiddenSize ({HiddenSize}).", nameof(TieWeights));
    }
}
