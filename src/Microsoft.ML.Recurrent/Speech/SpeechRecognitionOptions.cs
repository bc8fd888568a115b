namespace Microsoft.ML.Recurrent;

/// <summary>
/// Options of the CTC speech recognizer (<c>mlContext.Transforms.SpeechRecognition</c>): a Deep Speech 2-style acoustic model
/// over a frames column (e.g. <c>mlContext.Transforms.AudioFeatures</c> output) that learns to transcribe a text column in
/// characters or space-separated tokens. The defaults: a 32-channel convolution (11 x 11, time stride 2), batch
/// norm, three bidirectional GRU layers of 256, SortaGrad, greedy decoding. The optimization, validation, checkpoint
/// and progress options are those of <see cref="RecurrentTrainingOptions"/>.
/// </summary>
public sealed class SpeechRecognitionOptions : RecurrentTrainingOptions
{
    /// <summary>Creates the options with the recognizer's defaults (20 epochs, batches of 16, clipping at 400 as Deep Speech 2, learning rate 1e-3).</summary>
    public SpeechRecognitionOptions()
    {
        NumberOfEpochs = 20;
        BatchSize = 16;
        GradientClipNorm = 400f;
    }

    /// <summary>The frames column: a vector of Single, T*F values per utterance (<c>VectorDataViewType(Single, 0, F)</c>).</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The transcript column (text) for training.</summary>
    public string TranscriptColumnName { get; set; } = "Transcript";

    /// <summary>The recognized text column added by the transformer.</summary>
    public string OutputColumnName { get; set; } = "PredictedTranscript";

    /// <summary>The recognized symbols as a key vector (with the symbols as KeyValues).</summary>
    public string TokensColumnName { get; set; } = "PredictedTokens";

    /// <summary>When set, a column of each recognized symbol's spike frame (output frames, after the time stride).</summary>
    public string? TimesColumnName { get; set; }

    /// <summary>What the transcripts are made of: characters (spaces included) or space-separated tokens.</summary>
    public SymbolUnit Unit { get; set; } = SymbolUnit.Character;

    /// <summary>Floats per frame; 0 infers it from the column's [0, F] shape.</summary>
    public int FrameSize { get; set; }

    /// <summary>Channels of the convolutional front end; 0 leaves it out.</summary>
    public int ConvolutionChannels { get; set; } = 32;

    /// <summary>The convolution's kernel (time, frequency).</summary>
    public (int Time, int Frequency) ConvolutionKernel { get; set; } = (11, 11);

    /// <summary>The convolution's stride (time, frequency).</summary>
    public (int Time, int Frequency) ConvolutionStride { get; set; } = (2, 2);

    /// <summary>Whether the recurrent layers read batch-normalized inputs (sequence-wise, Deep Speech 2).</summary>
    public bool BatchNorm { get; set; } = true;

    /// <summary>The recurrent cell.</summary>
    public CellType Cell { get; set; } = CellType.Gru;

    /// <summary>Hidden units per direction and layer.</summary>
    public int HiddenSize { get; set; } = 256;

    /// <summary>Stacked recurrent layers.</summary>
    public int NumberOfLayers { get; set; } = 3;

    /// <summary>Whether the layers also read backwards; false gives a unidirectional model for streaming.</summary>
    public bool Bidirectional { get; set; } = true;

    /// <summary>Dropout on the recurrent input and between layers, in [0, 1).</summary>
    public float Dropout { get; set; }

    /// <summary>SpecAugment (Park et al. 2019), training only: time masks per utterance (0 turns it off).</summary>
    public int TimeMaskCount { get; set; }

    /// <summary>The widest time mask, in input frames.</summary>
    public int TimeMaskWidth { get; set; } = 10;

    /// <summary>SpecAugment's frequency masks per utterance (0 for none).</summary>
    public int FrequencyMaskCount { get; set; }

    /// <summary>The widest frequency mask, in features.</summary>
    public int FrequencyMaskWidth { get; set; } = 8;

    /// <summary>
    /// Tempo perturbation, training only: each time an utterance is visited its frames are stretched in time by a tempo
    /// factor uniform in [1 - p, 1 + p] (<see cref="Audio.AudioAugmentation.TimeStretch"/>; spectra unchanged), so speakers
    /// faster or slower than the training ones are less new; 0 turns it off, at most 0.5. A stretch too short for the
    /// transcript's alignment is skipped.
    /// </summary>
    public float TempoPerturbation { get; set; }

    /// <summary>SortaGrad (Deep Speech 2): the first epoch visits utterances from the shortest to the longest, later epochs shuffled.</summary>
    public bool SortaGrad { get; set; } = true;

    /// <summary>How the trained recognizer decodes (greedy by default; beam search, language model, lexicon); validation during training stays greedy.</summary>
    public SpeechDecoderOptions Decoder { get; set; } = new();

    /// <summary>Throws on an option outside its range, naming it.</summary>
    internal override void Validate()
    {
        base.Validate();
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentException.ThrowIfNullOrEmpty(TranscriptColumnName, nameof(TranscriptColumnName));
        ArgumentException.ThrowIfNullOrEmpty(OutputColumnName, nameof(OutputColumnName));
        ArgumentException.ThrowIfNullOrEmpty(TokensColumnName, nameof(TokensColumnName));
        if (!Enum.IsDefined(Unit)) throw new ArgumentOutOfRangeException(nameof(Unit), Unit, "Unknown symbol unit.");
        ArgumentOutOfRangeException.ThrowIfNegative(FrameSize, nameof(FrameSize));
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Unknown cell type.");
        CheckProbability(Dropout, nameof(Dropout));
        ArgumentOutOfRangeException.ThrowIfNegative(TimeMaskCount, nameof(TimeMaskCount));
        ArgumentOutOfRangeException.ThrowIfNegative(FrequencyMaskCount, nameof(FrequencyMaskCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(TimeMaskWidth, 1, nameof(TimeMaskWidth));
        ArgumentOutOfRangeException.ThrowIfLessThan(FrequencyMaskWidth, 1, nameof(FrequencyMaskWidth));
        if (!(TempoPerturbation is >= 0 and <= 0.5f)) throw new ArgumentOutOfRangeException(nameof(TempoPerturbation), TempoPerturbation, "The tempo perturbation must be in [0, 0.5].");
        Architecture(FrameSize > 0 ? FrameSize : 1, 2).Validate();
        ArgumentNullException.ThrowIfNull(Decoder, nameof(Decoder));
        Decoder.Validate();
    }

    internal override string Fingerprint => $"{base.Fingerprint}, SortaGrad {SortaGrad}, SpecAugment {TimeMaskCount}x{TimeMaskWidth} {FrequencyMaskCount}x{FrequencyMaskWidth}, tempo {TempoPerturbation}";

    /// <summary>The acoustic network these options describe, for frames of <paramref name="featureSize"/> and <paramref name="classes"/> classes (blank included).</summary>
    internal Engine.Models.AcousticArchitecture Architecture(int featureSize, int classes) => new(featureSize, classes)
    {
        ConvolutionChannels = ConvolutionChannels, ConvolutionKernel = ConvolutionKernel, ConvolutionStride = ConvolutionStride, BatchNorm = BatchNorm,
        Cell = Cell, HiddenSize = HiddenSize, NumLayers = NumberOfLayers, Bidirectional = Bidirectional, Dropout = Dropout,
    };
}
