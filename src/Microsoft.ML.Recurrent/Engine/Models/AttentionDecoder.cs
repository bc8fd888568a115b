using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Losses;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// The decoder of a <see cref="Seq2SeqNetwork"/> (Luong et al. 2015 with input feeding): at step t it reads the
/// embedding of the previous symbol joined with the previous attentional vector, advances a stacked LSTM/GRU,
/// attends with its top state over the encoder's outputs, forms the attentional vector
/// <c>a_t = tanh(W_c [context; h_t] + b_c)</c> (dropout on it when training) and gives the logits <c>W_o a_t + b_o</c>.
/// Training runs step by step (each step's input may depend on the previous step's output) on per-step replicas of
/// the recurrent stack that share its weights, so backward through time revisits every step.
/// </summary>
/// <remarks>Dims legend: B = rows (sequences or hypotheses), S = source positions, K = key width, Hd = decoder hidden size, E = embedding width, V = target vocabulary.</remarks>
internal sealed class AttentionDecoder
{
    private readonly Seq2SeqArchitecture _a;
    private readonly List<StepCache> _steps = [];
    private readonly Dropout _inferenceDropout = new(0f);
    private float[] _dFeed = [], _dVector = [], _dCombined = [], _dContext = [], _dQuery = [], _dH = [], _dInput = [], _dEmbedding = [];
    private int[] _inputs = [];
    private SequenceLayout? _layout;
    private RecurrentState? _dNext, _dPrevious;
    private int _count;

    public AttentionDecoder(Seq2SeqArchitecture architecture)
    {
        _a = architecture;
        Embedding = new Embedding(architecture.TargetVocabularySize, architecture.EmbeddingSize, "decoder.embedding.");
        Recurrent = new RecurrentNetwork(architecture.Cell, InputSize, architecture.DecoderHiddenSize, architecture.DecoderLayers, namePrefix: "decoder.")
        { InterLayerDropout = architecture.DecoderLayers > 1 ? architecture.Dropout : 0f };
        Attention = new Attention(architecture.Score, architecture.DecoderHiddenSize, architecture.KeySize, architecture.AttentionSize);
        Combine = new Dense(architecture.KeySize + architecture.DecoderHiddenSize, architecture.DecoderHiddenSize, "decoder.combine.");
        Output = new Dense(architecture.DecoderHiddenSize, architecture.TargetVocabularySize, "decoder.output.");
        Parameters = [Embedding.Weight, .. Recurrent.Parameters, .. Attention.Parameters, .. Combine.Parameters, .. Output.Parameters];
    }

    public Embedding Embedding { get; }

    public RecurrentNetwork Recurrent { get; }

    public Attention Attention { get; }

    public Dense Combine { get; }

    public Dense Output { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Width of a decoder step's input: E, plus Hd with input feeding.</summary>
    public int InputSize => _a.EmbeddingSize + (_a.InputFeeding ? _a.DecoderHiddenSize : 0);

    public void Initialize(Random random)
    {
        Initializer.Normal(Embedding.Weight, 1f / MathF.Sqrt(_a.EmbeddingSize), random);
        DefaultInitialization.Apply(Recurrent, random);
        foreach (Parameter p in Attention.Parameters)
            if (p.Shape.Count == 2) Initializer.XavierUniform(p, random);
            else Initializer.Uniform(p, 1f / MathF.Sqrt(p.Size), random);
        foreach (Dense d in new[] { Combine, Output }) { Initializer.XavierUniform(d.Weight, random); Array.Clear(d.Bias.Value); }
    }

    /// <summary>
    /// Teacher-forced (or scheduled-sampling) training forward over one batch whose attention keys are prepared
    /// (<see cref="Attention.Prepare"/> with keepSteps): step t reads <paramref name="firstInput"/> at t = 0, then
    /// <paramref name="nextInput"/>(t, row, gold, logits) chooses each row's input from the gold symbol and the
    /// step's logits. Returns the summed cross-entropy over the target symbols and writes their logits' gradient
    /// per step for <see cref="Backward"/>, scaled by <paramref name="scale"/>.
    /// </summary>
    /// <param name="targets">[B, T] target ids per row and step, -1 past a row's end.</param>
    /// <param name="steps">T.</param>
    /// <param name="initial">The first states (from the bridge).</param>
    /// <param name="firstInput">The symbol every row reads at step 0 (the end-of-sequence id).</param>
    /// <param name="nextInput">(step, row, gold symbol or -1, logits [V]) to the row's input at the next step.</param>
    /// <param name="labelSmoothing">Label smoothing of the cross-entropy.</param>
    /// <param name="scale">Factor of the logits' gradient (1 / the batch's target symbols for a mean).</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <param name="random">Dropout masks.</param>
    public double Forward(int[] targets, int steps, RecurrentState initial, int firstInput, Func<int, int, int, ReadOnlySpan<float>, int> nextInput,
        float labelSmoothing, float scale, bool training, Random? random)
    {
        int b = initial.BatchSize, v = _a.TargetVocabularySize;
        if (_layout is null || _layout.BatchSize != b) _layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(1, b).ToArray());
        Workspace.Grow(ref _inputs, b);
        Array.Fill(_inputs, firstInput, 0, b);
        Recurrent.BeginReplicaPass();
        RecurrentState state = initial;
        double total = 0;
        int[] labels = new int[b];
        for (int t = 0; t < steps; t++)
        {
            StepCache step = Step(t, b);
            _inputs.AsSpan(0, b).CopyTo(step.Inputs);
            ReadOnlySpan<float> feed = t == 0 ? default : _steps[t - 1].Vector.AsSpan(0, b * _a.DecoderHiddenSize);
            ReadOnlySpan<float> logits = Run(step, b, feed, state, step.Final, step.Network, step.Dropout, training, random);
            state = step.Final;
            for (int r = 0; r < b; r++) labels[r] = targets[r * steps + t];
            Span<float> dLogits = step.DLogits.AsSpan(0, b * v);
            double mean = SoftmaxCrossEntropy.Compute(logits, v, labels, dLogits, -1, labelSmoothing);
            int counted = labels.Count(l => l >= 0);
            total += mean * counted;
            TensorPrimitives.Multiply(dLogits, scale * counted, dLogits);
            if (t + 1 < steps)
                for (int r = 0; r < b; r++) _inputs[r] = nextInput(t, r, labels[r], logits.Slice(r * v, v));
        }
        _count = steps;
        return total;
    }

    /// <summary>Backpropagates the last <see cref="Forward"/> into the parameters; writes the gradient of the first states and leaves the keys' in <see cref="Attention"/> (see <see cref="Attention.BackwardKeys"/>).</summary>
    public void Backward(RecurrentState initial, RecurrentState dInitial)
    {
        int b = initial.BatchSize, hd = _a.DecoderHiddenSize, k = _a.KeySize, e = _a.EmbeddingSize, input = InputSize;
        if (_dNext is null || _dNext.BatchSize != b) (_dNext, _dPrevious) = (new RecurrentState(Recurrent, b), new RecurrentState(Recurrent, b));
        _dNext.Clear();
        Workspace.Grow(ref _dFeed, b * hd);
        _dFeed.AsSpan(0, b * hd).Clear();
        Span<float> dVector = Workspace.Grow(ref _dVector, b * hd).AsSpan(0, b * hd), dCombined = Workspace.Grow(ref _dCombined, b * (k + hd)).AsSpan(0, b * (k + hd));
        Span<float> dContext = Workspace.Grow(ref _dContext, b * k).AsSpan(0, b * k), dQuery = Workspace.Grow(ref _dQuery, b * hd).AsSpan(0, b * hd);
        Span<float> dH = Workspace.Grow(ref _dH, b * hd).AsSpan(0, b * hd), dInput = Workspace.Grow(ref _dInput, b * input).AsSpan(0, b * input);
        Span<float> dEmbedding = Workspace.Grow(ref _dEmbedding, b * e).AsSpan(0, b * e);
        for (int t = _count - 1; t >= 0; t--)
        {
            StepCache step = _steps[t];
            Output.Backward(b, step.Dropped.AsSpan(0, b * hd), step.DLogits.AsSpan(0, b * _a.TargetVocabularySize), dVector);
            step.Dropout.Backward(dVector, dVector);
            // The next step's input read this vector (input feeding); a = tanh(pre).
            ReadOnlySpan<float> vector = step.Vector.AsSpan(0, b * hd);
            for (int i = 0; i < dVector.Length; i++) dVector[i] = (dVector[i] + _dFeed[i]) * (1 - vector[i] * vector[i]);
            Combine.Backward(b, step.Combined.AsSpan(0, b * (k + hd)), dVector, dCombined);
            for (int r = 0; r < b; r++)
            {
                dCombined.Slice(r * (k + hd), k).CopyTo(dContext.Slice(r * k, k));
                dCombined.Slice(r * (k + hd) + k, hd).CopyTo(dH.Slice(r * hd, hd));
            }
            Attention.BackwardStep(t, dContext, default, dQuery);
            TensorPrimitives.Add(dH, dQuery, dH);
            RecurrentState from = t == 0 ? initial : _steps[t - 1].Final;
            RecurrentState dFrom = t == 0 ? dInitial : _dPrevious!;
            step.Network.Backward(_layout!, step.Input.AsSpan(0, b * input), step.Hidden.AsSpan(0, b * hd), dH, dInput, from, _dNext, dFrom);
            for (int r = 0; r < b; r++)
            {
                dInput.Slice(r * input, e).CopyTo(dEmbedding.Slice(r * e, e));
                if (_a.InputFeeding) dInput.Slice(r * input + e, hd).CopyTo(_dFeed.AsSpan(r * hd, hd));
            }
            Embedding.Backward(step.Inputs.AsSpan(0, b), dEmbedding);
            if (t > 0) (_dNext, _dPrevious) = (_dPrevious!, _dNext);
        }
    }

    /// <summary>
    /// One inference step for every row over keys prepared without keepSteps: reads symbols
    /// <paramref name="inputs"/>, the previous attentional vectors <paramref name="feed"/> ([B, Hd], zeros at the first step)
    /// and states <paramref name="from"/>; writes <paramref name="to"/>, the new vectors into <paramref name="feed"/>, the
    /// attention weights [B, S] into <paramref name="weights"/> when not empty, and returns the logits [B, V].
    /// </summary>
    public ReadOnlySpan<float> Step(ReadOnlySpan<int> inputs, Span<float> feed, RecurrentState from, RecurrentState to, Span<float> weights)
    {
        int b = from.BatchSize, hd = _a.DecoderHiddenSize;
        if (_layout is null || _layout.BatchSize != b) _layout = SequenceLayout.FromSortedLengths(Enumerable.Repeat(1, b).ToArray());
        StepCache step = Step(0, b);
        inputs.CopyTo(step.Inputs);
        ReadOnlySpan<float> logits = Run(step, b, feed, from, to, Recurrent, _inferenceDropout, training: false, random: null);
        step.Vector.AsSpan(0, b * hd).CopyTo(feed);
        if (!weights.IsEmpty) step.Weights.AsSpan(0, weights.Length).CopyTo(weights);
        return logits;
    }

    private ReadOnlySpan<float> Run(StepCache step, int b, ReadOnlySpan<float> feed, RecurrentState from, RecurrentState to, RecurrentNetwork network,
        Dropout dropout, bool training, Random? random)
    {
        int hd = _a.DecoderHiddenSize, k = _a.KeySize, e = _a.EmbeddingSize, input = InputSize, v = _a.TargetVocabularySize, s = Attention.Sources;
        Span<float> x = step.Input.AsSpan(0, b * input), h = step.Hidden.AsSpan(0, b * hd), combined = step.Combined.AsSpan(0, b * (k + hd));
        for (int r = 0; r < b; r++)
        {
            Embedding.Forward(step.Inputs.AsSpan(r, 1), x.Slice(r * input, e));
            if (!_a.InputFeeding) continue;
            if (feed.IsEmpty) x.Slice(r * input + e, hd).Clear();
            else feed.Slice(r * hd, hd).CopyTo(x.Slice(r * input + e, hd));
        }
        network.Forward(_layout!, x, h, from, to, training, random);
        Span<float> context = step.Context.AsSpan(0, b * k);
        Attention.Forward(h, step.Scores.AsSpan(0, b * s), step.Weights.AsSpan(0, b * s), context);
        for (int r = 0; r < b; r++)
        {
            context.Slice(r * k, k).CopyTo(combined.Slice(r * (k + hd), k));
            h.Slice(r * hd, hd).CopyTo(combined.Slice(r * (k + hd) + k, hd));
        }
        Span<float> vector = step.Vector.AsSpan(0, b * hd);
        Combine.Forward(b, combined, vector);
        TensorPrimitives.Tanh(vector, vector);
        Span<float> dropped = step.Dropped.AsSpan(0, b * hd);
        dropout.Forward(_layout!, vector, hd, dropped, training, random!);
        Span<float> logits = step.Logits.AsSpan(0, b * v);
        Output.Forward(b, dropped, logits);
        return logits;
    }

    private StepCache Step(int t, int b)
    {
        while (_steps.Count <= t) _steps.Add(new StepCache(this));
        StepCache step = _steps[t];
        step.Reserve(b, Attention.Sources);
        return step;
    }

    /// <summary>What one decoder step keeps for backward: its own replica of the recurrent stack, dropout mask, inputs and activations.</summary>
    private sealed class StepCache(AttentionDecoder owner)
    {
        private readonly AttentionDecoder _owner = owner;
        private RecurrentNetwork? _network;
        private RecurrentState? _final;

        public int[] Inputs = [];
        public float[] Input = [], Hidden = [], Context = [], Scores = [], Weights = [], Combined = [], Vector = [], Dropped = [], Logits = [], DLogits = [];
        public Dropout Dropout { get; } = new(owner._a.Dropout);

        public RecurrentNetwork Network => _network ??= _owner.Recurrent.ShareWeights();

        public RecurrentState Final => _final!;

        public void Reserve(int b, int s)
        {
            Seq2SeqArchitecture a = _owner._a;
            int hd = a.DecoderHiddenSize, k = a.KeySize;
            if (Inputs.Length != b) Inputs = new int[b];
            Workspace.Grow(ref Input, b * _owner.InputSize);
            Workspace.Grow(ref Hidden, b * hd);
            Workspace.Grow(ref Context, b * k);
            Scores = Scores.Length == b * s ? Scores : new float[b * s];
            Weights = Weights.Length == b * s ? Weights : new float[b * s];
            Workspace.Grow(ref Combined, b * (k + hd));
            Workspace.Grow(ref Vector, b * hd);
            Workspace.Grow(ref Dropped, b * hd);
            Workspace.Grow(ref Logits, b * a.TargetVocabularySize);
            Workspace.Grow(ref DLogits, b * a.TargetVocabularySize);
            if (_final is null || _final.BatchSize != b) _final = new RecurrentState(_owner.Recurrent, b);
        }
    }
}
