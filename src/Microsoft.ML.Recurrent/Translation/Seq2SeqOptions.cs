using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Options of the sequence-to-sequence trainer: a source text column in, a target text column to learn (each row
/// one pair; several rows with one source are alternative targets), symbols by character or by whitespace-separated
/// word on each side. The defaults train a bidirectional LSTM encoder of 256 units per direction over 64-wide
/// embeddings and an LSTM decoder of 256 units with additive (Bahdanau) attention and input feeding, by teacher
/// forcing, with early stopping on the validation cross-entropy. Optimization, validation, checkpoints and progress
/// are those of <see cref="RecurrentTrainingOptions"/>.
/// </summary>
public sealed class Seq2SeqOptions : RecurrentTrainingOptions
{
    /// <summary>Creates the options with the seq2seq defaults (learning rate 2e-3, 20 epochs, batch 64).</summary>
    public Seq2SeqOptions()
    {
        LearningRate = 2e-3f;
        NumberOfEpochs = 20;
        BatchSize = 64;
    }

    /// <summary>The source column: a scalar of text, or a vector of keys read as its key values (one symbol per key).</summary>
    public string SourceColumnName { get; set; } = "Source";

    /// <summary>The target column (a scalar of text, or a vector of keys as the source), read in training and by <c>Evaluate</c>.</summary>
    public string TargetColumnName { get; set; } = "Target";

    /// <summary>How a source text splits into symbols (a key-vector column is always one symbol per key).</summary>
    public SymbolUnit SourceUnit { get; set; } = SymbolUnit.Character;

    /// <summary>How a target splits into symbols (Word for space-separated symbols such as phonemes).</summary>
    public SymbolUnit TargetUnit { get; set; } = SymbolUnit.Character;

    /// <summary>Source symbols seen fewer times in training become the unknown symbol (which unseen symbols also map to when the model reads a source).</summary>
    public int MinimumSymbolFrequency { get; set; } = 1;

    /// <summary>The recurrent cell of the encoder and the decoder (Lstm or Gru; peephole cells are refused).</summary>
    public CellType Cell { get; set; } = CellType.Lstm;

    /// <summary>Width of the source and target symbol embeddings.</summary>
    public int EmbeddingSize { get; set; } = 64;

    /// <summary>Hidden units per direction of each encoder layer.</summary>
    public int EncoderHiddenSize { get; set; } = 256;

    /// <summary>Stacked encoder layers.</summary>
    public int EncoderLayers { get; set; } = 1;

    /// <summary>Whether the encoder reads each source both ways.</summary>
    public bool Bidirectional { get; set; } = true;

    /// <summary>Hidden units of each decoder layer.</summary>
    public int DecoderHiddenSize { get; set; } = 256;

    /// <summary>Stacked decoder layers.</summary>
    public int DecoderLayers { get; set; } = 1;

    /// <summary>How the decoder scores a source position: Additive (Bahdanau), General or Dot (Luong), ScaledDot.</summary>
    public AttentionScore Attention { get; set; } = AttentionScore.Additive;

    /// <summary>Hidden width of additive scores.</summary>
    public int AttentionSize { get; set; } = 256;

    /// <summary>Whether each decoder step also reads the previous attentional vector (Luong's input feeding).</summary>
    public bool InputFeeding { get; set; } = true;

    /// <summary>Dropout on the encoder's input and between layers, and on the decoder's attentional vector, in [0, 1).</summary>
    public float Dropout { get; set; } = 0.2f;

    /// <summary>Share of each target symbol's probability spread over all symbols in the loss, in [0, 1).</summary>
    public float LabelSmoothing { get; set; }

    /// <summary>How the teacher-forcing probability decays (scheduled sampling: otherwise a step reads the model's own most likely symbol); None trains with teacher forcing only.</summary>
    public TeacherForcingDecay TeacherForcingDecay { get; set; } = TeacherForcingDecay.None;

    /// <summary>S, the decay's scale in training steps (mini-batches) (see <see cref="Recurrent.TeacherForcingDecay"/>).</summary>
    public int TeacherForcingDecaySteps { get; set; } = 1000;

    /// <summary>m, the lowest teacher-forcing probability the decay reaches, in [0, 1].</summary>
    public float MinimumTeacherForcing { get; set; }

    /// <summary>
    /// Most target symbols a training row may have and the model may produce; 0 (default) takes twice the longest
    /// training target plus 10. A training target longer than a set maximum is an error; predictions stop at it.
    /// </summary>
    public int MaximumTargetLength { get; set; }

    /// <summary>How the fitted model decodes (copied when the trainer is created).</summary>
    public Seq2SeqDecodingOptions Decoding { get; set; } = new();

    /// <summary>Throws when an option is out of range.</summary>
    internal override void Validate()
    {
        base.Validate();
        ArgumentException.ThrowIfNullOrEmpty(SourceColumnName, nameof(SourceColumnName));
        ArgumentException.ThrowIfNullOrEmpty(TargetColumnName, nameof(TargetColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumSymbolFrequency, 1, nameof(MinimumSymbolFrequency));
        ArgumentOutOfRangeException.ThrowIfNegative(MaximumTargetLength, nameof(MaximumTargetLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(TeacherForcingDecaySteps, 1, nameof(TeacherForcingDecaySteps));
        CheckProbability(Dropout, nameof(Dropout));
        CheckProbability(LabelSmoothing, nameof(LabelSmoothing));
        if (!Enum.IsDefined(SourceUnit)) throw new ArgumentOutOfRangeException(nameof(SourceUnit), SourceUnit, "Unknown unit.");
        if (!Enum.IsDefined(TargetUnit)) throw new ArgumentOutOfRangeException(nameof(TargetUnit), TargetUnit, "Unknown unit.");
        if (!Enum.IsDefined(TeacherForcingDecay)) throw new ArgumentOutOfRangeException(nameof(TeacherForcingDecay), TeacherForcingDecay, "Unknown decay.");
        if (!(MinimumTeacherForcing >= 0f && MinimumTeacherForcing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(MinimumTeacherForcing), MinimumTeacherForcing, "The minimum teacher-forcing probability must be in [0, 1].");
        ArgumentNullException.ThrowIfNull(Decoding, nameof(Decoding));
        Decoding.Validate();
        Architecture(2, 2).Validate();
    }

    /// <summary>The network shape these options ask for, over the given vocabularies.</summary>
    internal Engine.Models.Seq2SeqArchitecture Architecture(int sourceSymbols, int targetSymbols) => new(sourceSymbols, targetSymbols)
    {
        Cell = Cell, EmbeddingSize = EmbeddingSize, EncoderHiddenSize = EncoderHiddenSize, EncoderLayers = EncoderLayers, Bidirectional = Bidirectional,
        DecoderHiddenSize = DecoderHiddenSize, DecoderLayers = DecoderLayers, Score = Attention, AttentionSize = AttentionSize, InputFeeding = InputFeeding,
        Dropout = Dropout, EndOfSequence = Data.SymbolVocabulary.EndOfText,
    };
}
