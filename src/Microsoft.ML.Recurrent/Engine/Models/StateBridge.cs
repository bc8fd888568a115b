using Microsoft.ML.Recurrent.Engine.Initializers;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>
/// Turns an encoder's final states into a decoder's first states. When the sizes match (one direction, equal hidden
/// sizes and layer counts) the states pass as they are; otherwise decoder layer l reads encoder layer l (or the top
/// one when the layer counts differ) with both directions' states joined, through <c>h = tanh(W_h x + b_h)</c> and,
/// for LSTM cells, <c>c = W_c x + b_c</c>.
/// </summary>
/// <remarks>Dims legend: B = batch, Le/Ld = encoder/decoder layers, D = encoder directions, He/Hd = hidden sizes.</remarks>
internal sealed class StateBridge
{
    private readonly Seq2SeqArchitecture _a;
    private readonly Dense? _hidden, _cell;
    private float[] _xh = [], _xc = [], _yh = [], _dy = [], _dx = [];
    private int _batch;

    public StateBridge(Seq2SeqArchitecture architecture, bool hasCellState)
    {
        _a = architecture;
        if (architecture.CopiesStates) { Parameters = []; return; }
        _hidden = new Dense(architecture.KeySize, architecture.DecoderHiddenSize, "bridge.hidden.");
        _cell = hasCellState ? new Dense(architecture.KeySize, architecture.DecoderHiddenSize, "bridge.cell.") : null;
        Parameters = [.. _hidden.Parameters, .. _cell?.Parameters ?? []];
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    public void Initialize(Random random)
    {
        foreach (Dense? d in new[] { _hidden, _cell })
            if (d is not null) { Initializer.XavierUniform(d.Weight, random); Array.Clear(d.Bias.Value); }
    }

    /// <summary>Writes the decoder's first states from the encoder's final ones.</summary>
    public void Forward(RecurrentState encoder, RecurrentState decoder)
    {
        if (_hidden is null)
        {
            encoder.Hidden.CopyTo(decoder.Hidden, 0);
            encoder.Cell.CopyTo(decoder.Cell, 0);
            return;
        }
        int b = encoder.BatchSize, rows = _a.DecoderLayers * b, k = _a.KeySize;
        _batch = b;
        Gather(encoder.Hidden, ref _xh);
        Workspace.Grow(ref _yh, rows * _a.DecoderHiddenSize);
        Span<float> h = decoder.Hidden.AsSpan(0, rows * _a.DecoderHiddenSize);
        _hidden.Forward(rows, _xh.AsSpan(0, rows * k), h);
        System.Numerics.Tensors.TensorPrimitives.Tanh(h, h);
        h.CopyTo(_yh);
        if (_cell is null) return;
        Gather(encoder.Cell, ref _xc);
        _cell.Forward(rows, _xc.AsSpan(0, rows * k), decoder.Cell.AsSpan(0, rows * _a.DecoderHiddenSize));
    }

    /// <summary>Backpropagates the decoder's first-state gradients into the parameters and writes the encoder's final-state gradients.</summary>
    public void Backward(RecurrentState dDecoder, RecurrentState dEncoder)
    {
        if (_hidden is null)
        {
            dDecoder.Hidden.CopyTo(dEncoder.Hidden, 0);
            dDecoder.Cell.CopyTo(dEncoder.Cell, 0);
            return;
        }
        dEncoder.Clear();
        int rows = _a.DecoderLayers * _batch, hd = _a.DecoderHiddenSize, k = _a.KeySize;
        Workspace.Grow(ref _dy, rows * hd);
        Workspace.Grow(ref _dx, rows * k);
        Span<float> dy = _dy.AsSpan(0, rows * hd), dx = _dx.AsSpan(0, rows * k);
        // d tanh = dy (1 - y^2).
        ReadOnlySpan<float> y = _yh.AsSpan(0, rows * hd);
        for (int i = 0; i < dy.Length; i++) dy[i] = dDecoder.Hidden[i] * (1 - y[i] * y[i]);
        _hidden.Backward(rows, _xh.AsSpan(0, rows * k), dy, dx);
        Scatter(dx, dEncoder.Hidden);
        if (_cell is null) return;
        _cell.Backward(rows, _xc.AsSpan(0, rows * k), dDecoder.Cell.AsSpan(0, rows * hd), dx);
        Scatter(dx, dEncoder.Cell);
    }

    private int SourceLayer(int l) => _a.EncoderLayers == _a.DecoderLayers ? l : _a.EncoderLayers - 1;

    /// <summary>x[l, b] = [state(layer, forward, b); state(layer, backward, b)] for each decoder layer l.</summary>
    private void Gather(float[] states, ref float[] x)
    {
        int b = _batch, he = _a.EncoderHiddenSize, d = _a.Bidirectional ? 2 : 1, k = _a.KeySize;
        Workspace.Grow(ref x, _a.DecoderLayers * b * k);
        for (int l = 0; l < _a.DecoderLayers; l++)
            for (int r = 0; r < b; r++)
                for (int dir = 0; dir < d; dir++)
                    states.AsSpan(((SourceLayer(l) * d + dir) * b + r) * he, he).CopyTo(x.AsSpan((l * b + r) * k + dir * he, he));
    }

    private void Scatter(ReadOnlySpan<float> dx, float[] dStates)
    {
        int b = _batch, he = _a.EncoderHiddenSize, d = _a.Bidirectional ? 2 : 1, k = _a.KeySize;
        for (int l = 0; l < _a.DecoderLayers; l++)
            for (int r = 0; r < b; r++)
                for (int dir = 0; dir < d; dir++)
                {
                    Span<float> target = dStates.AsSpan(((SourceLayer(l) * d + dir) * b + r) * he, he);
                    System.Numerics.Tensors.TensorPrimitives.Add(target, dx.Slice((l * b + r) * k + dir * he, he), target);
                }
    }
}
