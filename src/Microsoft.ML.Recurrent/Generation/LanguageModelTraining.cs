using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Training;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>
/// A <see cref="LanguageModelNetwork"/> as the training loop sees it: truncated BPTT with the state carried
/// from a batch to the next one that continues it (the windows of streams) and zero states otherwise (a pass's
/// first window, independent texts), teacher forcing, and scheduled sampling: before a window is trained, a pass without dropout or gradients walks
/// it step by step and, with probability 1 - p, replaces the next input by a symbol sampled from the
/// model given the inputs chosen so far (the first input of a window stays the true one). The mean
/// cross-entropy in nats per symbol is both loss and metric.
/// </summary>
internal sealed class LanguageModelTraining : ITrainableModel<TextBatch>
{
    private readonly TeacherForcingSchedule _schedule;
    private RecurrentState _state, _next;
    private RecurrentState? _walkFrom, _walkTo;
    private int[] _inputs = [];
    private float[] _scratch = [];
    private long _step;

    public LanguageModelTraining(LanguageModelNetwork network, TeacherForcingSchedule schedule)
    {
        Network = network;
        _schedule = schedule;
        _state = network.NewState(1);
        _next = network.NewState(1);
    }

    public LanguageModelNetwork Network { get; }

    public IReadOnlyList<Parameter> Parameters => Network.Parameters;

    public string MetricName => "cross-entropy (nats/symbol)";

    public bool HigherIsBetter => false;

    /// <summary>The teacher-forcing probability of the last training window.</summary>
    public double TeacherForcing { get; private set; } = 1;

    /// <summary>The inputs the last training window was trained on (after scheduled sampling chose them), packed.</summary>
    public ReadOnlySpan<int> LastInputs => _inputs;

    public double TrainBatch(IReadOnlyList<TextBatch> batch, Random random)
    {
        TextBatch text = batch[0];
        Begin(text, ref _state, ref _next);
        TeacherForcing = _schedule.Probability(_step++);
        _inputs = text.Inputs;
        if (TeacherForcing < 1) _inputs = MixInputs(text, TeacherForcing, random);
        Network.Forward(text.Layout, _inputs, training: true, random, _state, _next);
        double loss = Network.Loss(text.Targets, gradient: true);
        (_state, _next) = (_next, _state);
        return loss;
    }

    public (double Loss, double Metric) Evaluate(IEnumerable<IReadOnlyList<TextBatch>> batches)
    {
        RecurrentState state = Network.NewState(1), next = Network.NewState(1);
        double total = 0;
        long symbols = 0;
        foreach (IReadOnlyList<TextBatch> batch in batches)
        {
            TextBatch text = batch[0];
            Begin(text, ref state, ref next);
            Network.Forward(text.Layout, text.Inputs, training: false, null, state, next);
            total += Network.Loss(text.Targets, gradient: false) * text.Layout.TotalSteps;
            symbols += text.Layout.TotalSteps;
            (state, next) = (next, state);
        }
        if (symbols == 0) throw new InvalidOperationException("The validation text has no symbols.");
        double mean = total / symbols;
        return (mean, mean);
    }

    /// <summary>States sized for the batch, zeroed unless it continues the previous one.</summary>
    private void Begin(TextBatch batch, ref RecurrentState state, ref RecurrentState next)
    {
        int streams = batch.Layout.BatchSize;
        if (state.BatchSize != streams)
        {
            if (batch.Continues) throw new InvalidOperationException("A continuing batch must have as many streams as the one before it.");
            (state, next) = (Network.NewState(streams), Network.NewState(streams));
        }
        if (!batch.Continues) state.Clear();
    }

    /// <summary>Scheduled sampling: each input after the first is, with probability 1 - p, the model's own sample given the inputs before it.</summary>
    private int[] MixInputs(TextBatch batch, double p, Random random)
    {
        SequenceLayout layout = batch.Layout;
        int v = Network.Architecture.VocabularySize, streams = layout.BatchSize;
        int[] inputs = (int[])batch.Inputs.Clone(), step = new int[streams];
        if (_walkFrom is null || _walkFrom.BatchSize != streams) { _walkFrom = Network.NewState(streams); _walkTo = Network.NewState(streams); }
        if (_scratch.Length < v) _scratch = new float[v];
        _state.Hidden.CopyTo(_walkFrom.Hidden, 0);
        _state.Cell.CopyTo(_walkFrom.Cell, 0);
        for (int t = 0; t + 1 < layout.MaxLength; t++)
        {
            // Every stream steps (the state objects hold all B); one whose sequence has ended reads a placeholder.
            for (int b = 0; b < streams; b++) step[b] = b < layout.BatchSizes[t] ? inputs[layout.Row(t, b)] : SymbolVocabulary.EndOfText;
            ReadOnlySpan<float> logits = Network.Step(step, _walkFrom, _walkTo!, streams);
            for (int b = 0; b < layout.BatchSizes[t + 1]; b++)
                if (random.NextDouble() >= p)
                    inputs[layout.Row(t + 1, b)] = SymbolSampler.Sample(logits.Slice(b * v, v), 1f, 0, 1f, random, _scratch);
            (_walkFrom, _walkTo) = (_walkTo!, _walkFrom);
        }
        return inputs;
    }
}
