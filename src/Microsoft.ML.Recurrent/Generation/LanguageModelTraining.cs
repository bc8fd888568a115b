using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>One window of a corpus's streams: the training loop's example for a language model.</summary>
internal readonly record struct TextWindow(TextStreams Source, int Index);

/// <summary>The windows of a corpus in order, one per mini-batch: streams continue across windows, so they are never shuffled.</summary>
internal sealed class TextWindowSource(TextStreams streams) : IExampleSource<TextWindow>
{
    public IEnumerable<IReadOnlyList<TextWindow>> Batches(int batchSize, Random? shuffle, int bufferSize)
    {
        for (int k = 0; k < streams.Windows; k++) yield return [new TextWindow(streams, k)];
    }
}

/// <summary>
/// A <see cref="LanguageModelNetwork"/> as the training loop sees it: truncated BPTT over a corpus's
/// streams with the state carried from window to window (reset at each pass's first window), teacher
/// forcing, and scheduled sampling: before a window is trained, a pass without dropout or gradients walks
/// it step by step and, with probability 1 - p, replaces the next input by a symbol sampled from the
/// model given the inputs chosen so far (the first input of a window stays the true one). The mean
/// cross-entropy in nats per symbol is both loss and metric.
/// </summary>
internal sealed class LanguageModelTraining : ITrainableModel<TextWindow>
{
    private readonly TeacherForcingSchedule _schedule;
    private RecurrentState _state, _next;
    private RecurrentState? _walkFrom, _walkTo;
    private int[] _inputs = [], _targets = [];
    private float[] _scratch = [];
    private long _step;
    private int _lastSteps;

    public LanguageModelTraining(LanguageModelNetwork network, TeacherForcingSchedule schedule, int streams)
    {
        Network = network;
        _schedule = schedule;
        _state = network.NewState(streams);
        _next = network.NewState(streams);
    }

    public LanguageModelNetwork Network { get; }

    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    public string MetricName => "cross-entropy (nats/symbol)";

    public bool HigherIsBetter => false;

    /// <summary>The teacher-forcing probability of the last training window.</summary>
    public double TeacherForcing { get; private set; } = 1;

    /// <summary>The inputs the last training window was trained on (after scheduled sampling chose them), packed.</summary>
    public ReadOnlySpan<int> LastInputs => _inputs.AsSpan(0, _lastSteps);

    public double TrainBatch(IReadOnlyList<TextWindow> batch, Random random)
    {
        (TextStreams source, int k) = batch[0];
        SequenceLayout layout = Read(source, k, ref _state, ref _next);
        TeacherForcing = _schedule.Probability(_step++);
        if (TeacherForcing < 1) MixInputs(layout, source.Streams, TeacherForcing, random);
        _lastSteps = layout.TotalSteps;
        Network.Forward(layout, _inputs.AsSpan(0, layout.TotalSteps), training: true, random, _state, _next);
        double loss = Network.Loss(_targets.AsSpan(0, layout.TotalSteps), gradient: true);
        (_state, _next) = (_next, _state);
        return loss;
    }

    public (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<TextWindow>> batches)
    {
        RecurrentState? state = null, next = null;
        double total = 0;
        long symbols = 0;
        foreach (IReadOnlyList<TextWindow> batch in batches)
        {
            (TextStreams source, int k) = batch[0];
            if (state is null || state.BatchSize != source.Streams) { state = Network.NewState(source.Streams); next = Network.NewState(source.Streams); }
            SequenceLayout layout = Read(source, k, ref state, ref next!);
            Network.Forward(layout, _inputs.AsSpan(0, layout.TotalSteps), training: false, null, state, next);
            total += Network.Loss(_targets.AsSpan(0, layout.TotalSteps), gradient: false) * layout.TotalSteps;
            symbols += layout.TotalSteps;
            (state, next) = (next, state);
        }
        if (symbols == 0) throw new InvalidOperationException("The validation text has no symbols.");
        double mean = total / symbols;
        return (mean, mean);
    }

    /// <summary>Reads window k into the input and target buffers; zeroes the state at a pass's first window.</summary>
    private SequenceLayout Read(TextStreams source, int k, ref RecurrentState state, ref RecurrentState next)
    {
        if (state.BatchSize != source.Streams) { state = Network.NewState(source.Streams); next = Network.NewState(source.Streams); }
        if (k == 0) state.Clear();
        SequenceLayout layout = source.Layout(k);
        int n = layout.TotalSteps;
        if (_inputs.Length < n) { _inputs = new int[n]; _targets = new int[n]; }
        source.Fill(k, _inputs.AsSpan(0, n), _targets.AsSpan(0, n));
        return layout;
    }

    /// <summary>Scheduled sampling: each input after the first is, with probability 1 - p, the model's own sample given the inputs before it.</summary>
    private void MixInputs(SequenceLayout layout, int streams, double p, Random random)
    {
        int v = Network.Architecture.VocabularySize;
        if (_walkFrom is null || _walkFrom.BatchSize != streams) { _walkFrom = Network.NewState(streams); _walkTo = Network.NewState(streams); }
        if (_scratch.Length < v) _scratch = new float[v];
        _state.Hidden.CopyTo(_walkFrom.Hidden, 0);
        _state.Cell.CopyTo(_walkFrom.Cell, 0);
        for (int t = 0; t + 1 < layout.MaxLength; t++)
        {
            ReadOnlySpan<float> logits = Network.Step(_inputs.AsSpan(layout.StepOffset(t), streams), _walkFrom, _walkTo!, streams);
            for (int b = 0; b < streams; b++)
                if (random.NextDouble() >= p)
                    _inputs[layout.Row(t + 1, b)] = SymbolSampler.Sample(logits.Slice(b * v, v), 1f, 0, 1f, random, _scratch);
            (_walkFrom, _walkTo) = (_walkTo!, _walkFrom);
        }
    }
}
