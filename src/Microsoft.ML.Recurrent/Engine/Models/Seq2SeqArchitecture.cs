using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>The shape of a <see cref="Seq2SeqNetwork"/>.</summary>
/// <param name="SourceVocabularySize">Source symbol ids in [0, this).</param>
/// <param name="TargetVocabularySize">V: target symbol ids in [0, V), the end-of-sequence symbol among them.</param>
public sealed record Seq2SeqArchitecture(int SourceVocabularySize, int TargetVocabularySize)
{
    /// <summary>The target id that ends every target sequence and that the decoder reads at its first step.</summary>
    public int EndOfSequence { get; init; } = 1;

    /// <summary>The recurrent cell of the encoder and the decoder (LSTM, GRU or an Elman cell).</summary>
    public CellType Cell { get; init; } = CellType.Lstm;

    /// <summary>E, the width of the source and of the target embeddings.</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Hidden units per direction of each encoder layer.</summary>
    public int EncoderHiddenSize { get; init; } = 256;

    /// <summary>Stacked encoder layers.</summary>
    public int EncoderLayers { get; init; } = 1;

    /// <summary>Whether the encoder reads each source both ways (the keys are then [forward; backward], 2 x EncoderHiddenSize wide).</summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>Hd, hidden units of each decoder layer (also the width of the attentional vector).</summary>
    public int DecoderHiddenSize { get; init; } = 256;

    /// <summary>Stacked decoder layers.</summary>
    public int DecoderLayers { get; init; } = 1;

    /// <summary>How the decoder's state scores an encoder position.</summary>
    public AttentionScore Score { get; init; } = AttentionScore.Additive;

    /// <summary>A, the hidden width of additive scores (ignored by the others).</summary>
    public int AttentionSize { get; init; } = 256;

    /// <summary>Whether each decoder step also reads the previous step's attentional vector (Luong's input feeding).</summary>
    public bool InputFeeding { get; init; } = true;

    /// <summary>Dropout on the encoder's input and between its layers, between decoder layers, and on the attentional vector.</summary>
    public float Dropout { get; init; }

    /// <summary>K, the width of an encoder output row (an attention key).</summary>
    public int KeySize => (Bidirectional ? 2 : 1) * EncoderHiddenSize;

    /// <summary>Whether the decoder's first state is the encoder's final state as it is (one direction, same sizes), rather than a learned bridge.</summary>
    public bool CopiesStates => !Bidirectional && EncoderHiddenSize == DecoderHiddenSize && EncoderLayers == DecoderLayers;

    /// <summary>Throws when a size is out of range or the parts do not fit together.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SourceVocabularySize, 1, nameof(SourceVocabularySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(TargetVocabularySize, 2, nameof(TargetVocabularySize));
        if ((uint)EndOfSequence >= (uint)TargetVocabularySize)
            throw new ArgumentOutOfRangeException(nameof(EndOfSequence), EndOfSequence, $"The end-of-sequence id must be a target id in [0, {TargetVocabularySize}).");
        ArgumentOutOfRangeException.ThrowIfLessThan(EmbeddingSize, 1, nameof(EmbeddingSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(EncoderHiddenSize, 1, nameof(EncoderHiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(EncoderLayers, 1, nameof(EncoderLayers));
        ArgumentOutOfRangeException.ThrowIfLessThan(DecoderHiddenSize, 1, nameof(DecoderHiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(DecoderLayers, 1, nameof(DecoderLayers));
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Unknown cell type.");
        if (Cell == CellType.PeepholeLstm) throw new ArgumentException("A seq2seq decoder runs one step at a time over shared weights, which peephole cells do not support; use Lstm or Gru.", nameof(Cell));
        if (!Enum.IsDefined(Score)) throw new ArgumentOutOfRangeException(nameof(Score), Score, "Unknown attention score.");
        if (Score == AttentionScore.Additive) ArgumentOutOfRangeException.ThrowIfLessThan(AttentionSize, 1, nameof(AttentionSize));
        if (Score is AttentionScore.Dot or AttentionScore.ScaledDot && DecoderHiddenSize != KeySize)
            throw new ArgumentException($"{Score} attention needs the decoder's hidden size ({DecoderHiddenSize}) to equal the key width ({KeySize} = {(Bidirectional ? "2 x " : "")}{EncoderHiddenSize}); use General or Additive scores otherwise.", nameof(Score));
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
    }
}
