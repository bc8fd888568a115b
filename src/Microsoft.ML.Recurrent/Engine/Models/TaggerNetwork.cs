using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// A sequence tagger: word embeddings joined with character features (<see cref="CharacterCnn"/>) and
/// per-token features (e.g. casing), a
/// <see cref="SequenceEncoder"/> (stacked BiLSTM with variational dropout), a dense layer giving one
/// score per tag and step (the emissions), and on top either a linear-chain CRF (optionally restricted
/// to valid BIO/BIOES sequences) or an independent softmax per token. An instance keeps workspaces:
/// use one per thread.
/// </summary>
/// <remarks>Dims legend: N = packed tokens, V = vocabulary, E = embedding width, F = features per token, K = tags.</remarks>
public sealed class TaggerNetwork
{
    private readonly SequenceEncoder _encoder;
    private readonly CrfBatch? _crfBatch;
    private float[] _input = [], _emissions = [], _dEmissions = [], _dEncoder = [], _dWords = [], _scratch = [];
    private int[] _ids = [];
    private SequenceLayout? _layout;

    /// <summary>Creates the network with zero weights (see <see cref="Initialize"/>).</summary>
    /// <param name="architecture">The shape.</param>
    public TaggerNetwork(TaggerArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        Words = new Embedding(architecture.VocabularySize, architecture.EmbeddingSize, "words.");
        if (architecture.CharacterVocabularySize > 0)
            Characters = new CharacterCnn(architecture.CharacterVocabularySize, architecture.CharacterEmbeddingSize, architecture.CharacterFilters);
        _encoder = new SequenceEncoder(architecture.Cell, architecture.EmbeddingSize + architecture.CharacterWidth + architecture.FeatureSize, architecture.HiddenSize,
            architecture.NumLayers, bidirectional: true, vocabularySize: 0, architecture.Dropout);
        Head = new Dense(_encoder.OutputSize, architecture.TagCount, "emissions.");
        if (architecture.UseCrf)
        {
            Crf = new LinearChainCrf(architecture.TagCount) { Constraints = architecture.Constraints };
            _crfBatch = new CrfBatch(Crf);
        }
        Parameters = [Words.Weight, .. Characters?.Parameters ?? [], .. _encoder.Parameters, .. Head.Parameters, .. Crf?.Parameters ?? []];
    }

    /// <summary>The shape.</summary>
    public TaggerArchitecture Architecture { get; }

    /// <summary>The word embedding [V, E] (id 0 is the unknown word).</summary>
    public Embedding Words { get; }

    /// <summary>The character features, or null without them.</summary>
    public CharacterCnn? Characters { get; }

    /// <summary>The recurrent body.</summary>
    public RecurrentNetwork Recurrent => _encoder.Recurrent;

    /// <summary>The emission layer [2H -> K].</summary>
    public Dense Head { get; }

    /// <summary>The CRF, or null for the softmax head.</summary>
    public LinearChainCrf? Crf { get; }

    /// <summary>Embedding, recurrent, emission and (with a CRF) transition parameters.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Initializes embeddings N(0, 1/E), the recurrent weights, the emission layer (Xavier) and zero transitions.</summary>
    public void Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Initializer.Normal(Words.Weight, 1f / MathF.Sqrt(Architecture.EmbeddingSize), random);
        Characters?.Initialize(random);
        DefaultInitialization.Apply(_encoder.Recurrent, random);
        Initializer.XavierUniform(Head.Weight, random);
    }

    /// <summary>A copy with the same weights and its own workspaces.</summary>
    public TaggerNetwork Clone()
    {
        var copy = new TaggerNetwork(Architecture);
        for (int i = 0; i < Parameters.Count; i++) copy.Parameters[i].Load(Parameters[i].Value);
        return copy;
    }

    /// <summary>Whether the recurrent weights are packed once for inference (see <see cref="RecurrentNetwork.Frozen"/>).</summary>
    public bool Frozen
    {
        get => _encoder.Recurrent.Frozen;
        set => _encoder.Recurrent.Frozen = value;
    }

    /// <summary>Runs forward and returns the emissions [N, K].</summary>
    /// <param name="layout">Batch layout.</param>
    /// <param name="ids">[N] word ids in [0, V).</param>
    /// <param name="features">[N, F] per-token features (empty when F = 0).</param>
    /// <param name="chars">Every packed token's character ids, token r's at [charOffsets[r], charOffsets[r + 1]) (empty without character features).</param>
    /// <param name="charOffsets">[N + 1] offsets into <paramref name="chars"/> (empty without character features).</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <param name="random">Dropout masks (needed when training with dropout).</param>
    public ReadOnlySpan<float> Forward(SequenceLayout layout, ReadOnlySpan<int> ids, ReadOnlySpan<float> features, ReadOnlySpan<int> chars = default,
        ReadOnlySpan<int> charOffsets = default, bool training = false, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int n = layout.TotalSteps, e = Architecture.EmbeddingSize, cw = Architecture.CharacterWidth, f = Architecture.FeatureSize, width = e + cw + f, k = Architecture.TagCount;
        if (ids.Length != n) throw new ArgumentException($"ids must hold one id per packed step ({n}) but hold {ids.Length}.", nameof(ids));
        Guard.Length(features, n * f, nameof(features), $"[N={n}, F={f}]");
        Workspace.Grow(ref _scratch, n * Math.Max(e, cw));
        Workspace.Grow(ref _input, n * width);
        Words.Forward(ids, _scratch.AsSpan(0, n * e));
        for (int r = 0; r < n; r++) _scratch.AsSpan(r * e, e).CopyTo(_input.AsSpan(r * width, e));
        if (Characters is not null)
        {
            if (charOffsets.Length != n + 1) throw new ArgumentException($"charOffsets must hold N + 1 = {n + 1} offsets but hold {charOffsets.Length}.", nameof(charOffsets));
            Characters.Forward(chars, charOffsets, _scratch.AsSpan(0, n * cw));
            for (int r = 0; r < n; r++) _scratch.AsSpan(r * cw, cw).CopyTo(_input.AsSpan(r * width + e, cw));
        }
        for (int r = 0; r < n; r++) features.Slice(r * f, f).CopyTo(_input.AsSpan(r * width + e + cw, f));
        if (_ids.Length < n) _ids = new int[n];
        ids.CopyTo(_ids);
        ReadOnlySpan<float> encoded = _encoder.Forward(layout, _input.AsSpan(0, n * width), training, random);
        Workspace.Grow(ref _emissions, n * k);
        Head.Forward(n, encoded, _emissions.AsSpan(0, n * k));
        _layout = layout;
        return _emissions.AsSpan(0, n * k);
    }

    /// <summary>
    /// The mean loss per sequence of the last forward call against <paramref name="tags"/> [N] (CRF negative
    /// log-likelihood, or the softmax cross-entropy summed over each sequence's tokens), and, when
    /// <paramref name="gradient"/>, its gradient backpropagated into the parameters.
    /// </summary>
    public double Loss(ReadOnlySpan<int> tags, bool gradient)
    {
        SequenceLayout layout = _layout ?? throw new InvalidOperationException("Call Forward before Loss.");
        int n = layout.TotalSteps, k = Architecture.TagCount, b = layout.BatchSize;
        ReadOnlySpan<float> emissions = _emissions.AsSpan(0, n * k);
        Workspace.Grow(ref _dEmissions, n * k);
        Span<float> dEmissions = gradient ? _dEmissions.AsSpan(0, n * k) : default;
        double loss = _crfBatch is not null
            ? _crfBatch.NegativeLogLikelihood(layout, emissions, tags, gradient ? 1f / b : 0f, dEmissions) / b
            : SoftmaxCrossEntropy.Compute(emissions, k, tags, dEmissions) * n / b;
        if (!gradient || !double.IsFinite(loss)) return loss;
        // The softmax loss is the per-token mean times N / B, so its gradient scales the same way.
        if (_crfBatch is null) System.Numerics.Tensors.TensorPrimitives.Multiply(dEmissions, (float)n / b, dEmissions);
        Backward(dEmissions);
        return loss;
    }

    private void Backward(ReadOnlySpan<float> dEmissions)
    {
        SequenceLayout layout = _layout!;
        int n = layout.TotalSteps, e = Architecture.EmbeddingSize, cw = Architecture.CharacterWidth, width = e + cw + Architecture.FeatureSize;
        Workspace.Grow(ref _dEncoder, n * _encoder.OutputSize);
        Span<float> dEncoded = _dEncoder.AsSpan(0, n * _encoder.OutputSize);
        Head.Backward(n, _encoder.Output, dEmissions, dEncoded);
        _encoder.Backward(dEncoded, frameGradient: true);
        ReadOnlySpan<float> dInput = _encoder.InputGradient;
        Workspace.Grow(ref _dWords, n * e);
        for (int r = 0; r < n; r++) dInput.Slice(r * width, e).CopyTo(_dWords.AsSpan(r * e, e));
        Words.Backward(_ids.AsSpan(0, n), _dWords.AsSpan(0, n * e));
        if (Characters is null) return;
        Workspace.Grow(ref _dWords, n * cw);
        for (int r = 0; r < n; r++) dInput.Slice(r * width + e, cw).CopyTo(_dWords.AsSpan(r * cw, cw));
        Characters.Backward(_dWords.AsSpan(0, n * cw));
    }

    /// <summary>The best tag of every step of the last forward call into <paramref name="tags"/> [N], and its confidence into <paramref name="confidence"/> [N].</summary>
    /// <remarks>With a CRF: the Viterbi path (within the constraints) and each chosen tag's marginal; with the softmax head: the arg-max and its probability.</remarks>
    public void Decode(Span<int> tags, Span<float> confidence)
    {
        SequenceLayout layout = _layout ?? throw new InvalidOperationException("Call Forward before Decode.");
        int n = layout.TotalSteps, k = Architecture.TagCount;
        ReadOnlySpan<float> emissions = _emissions.AsSpan(0, n * k);
        Workspace.Grow(ref _dEmissions, n * k);
        Span<float> probabilities = _dEmissions.AsSpan(0, n * k);
        if (_crfBatch is not null)
        {
            _crfBatch.Decode(layout, emissions, null, tags);
            _crfBatch.Marginals(layout, emissions, probabilities);
        }
        else
        {
            for (int r = 0; r < n; r++)
            {
                System.Numerics.Tensors.TensorPrimitives.SoftMax(emissions.Slice(r * k, k), probabilities.Slice(r * k, k));
                tags[r] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probabilities.Slice(r * k, k));
            }
        }
        for (int r = 0; r < n; r++) confidence[r] = probabilities[r * k + tags[r]];
    }
}
