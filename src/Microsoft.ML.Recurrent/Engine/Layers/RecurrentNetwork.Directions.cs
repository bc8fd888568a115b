using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// How a layer's directions run: one after the other, or (bidirectional, with two or three threads) at the
/// same time, one direction per thread, each running its steps alone. A step of one direction is a small
/// product that two threads share poorly (they meet twice per step); two independent directions share
/// nothing until the layer ends. With four or more threads each step's product is split instead, which can
/// use them all. The reverse direction's input gradient always goes to its own buffer and is added to the
/// forward one's afterwards, so the values are the same either way.
/// </summary>
public sealed partial class RecurrentNetwork
{
    private readonly DirectionPair _pair = new();
    private float[] _dInputReverse = [];

    private bool DirectionsAtOnce => Directions == 2 && WorkerPool.Parallelism is 2 or 3;

    private void RunForward(int l, SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        Span<float> output, Span<float> hN, Span<float> cN)
    {
        if (!DirectionsAtOnce)
        {
            for (int d = 0; d < Directions; d++) ForwardDirection(l, d, layout, input, h0, c0, output, hN, cN);
            return;
        }
        unsafe
        {
            fixed (float* x = input, ph0 = h0, pc0 = c0, y = output, phN = hN, pcN = cN)
            {
                _pair.Begin(this, l, layout, backward: false,
                    [new(x, input.Length), new(ph0, h0.Length), new(pc0, c0.Length), new(y, output.Length), new(phN, hN.Length), new(pcN, cN.Length)]);
                WorkerPool.Run(2, _pair);
                _pair.End();
            }
        }
    }

    private void RunBackward(int l, SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        ReadOnlySpan<float> output, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> dhN, ReadOnlySpan<float> dcN,
        Span<float> dInput, Span<float> dh0, Span<float> dc0)
    {
        Span<float> dInputReverse = default;
        if (Directions == 2 && !dInput.IsEmpty)
        {
            if (_dInputReverse.Length < dInput.Length) _dInputReverse = new float[dInput.Length];
            dInputReverse = _dInputReverse.AsSpan(0, dInput.Length);
        }
        if (!DirectionsAtOnce)
        {
            for (int d = 0; d < Directions; d++)
                BackwardDirection(l, d, layout, input, h0, c0, output, dOutput, dhN, dcN, d == 0 ? dInput : dInputReverse, dh0, dc0);
        }
        else
        {
            unsafe
            {
                fixed (float* x = input, ph0 = h0, pc0 = c0, y = output, dy = dOutput, pdhN = dhN, pdcN = dcN)
                fixed (float* dx = dInput, dxReverse = dInputReverse, pdh0 = dh0, pdc0 = dc0)
                {
                    _pair.Begin(this, l, layout, backward: true,
                    [
                        new(x, input.Length), new(ph0, h0.Length), new(pc0, c0.Length), new(y, output.Length), new(dy, dOutput.Length),
                        new(pdhN, dhN.Length), new(pdcN, dcN.Length), new(dx, dInput.Length), new(dxReverse, dInputReverse.Length),
                        new(pdh0, dh0.Length), new(pdc0, dc0.Length),
                    ]);
                    WorkerPool.Run(2, _pair);
                    _pair.End();
                }
            }
        }
        if (!dInputReverse.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Add(dInput, dInputReverse, dInput);
    }

    private void ForwardDirection(int l, int d, SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        Span<float> output, Span<float> hN, Span<float> cN)
    {
        int s = l * Directions + d, state = layout.BatchSize * HiddenSize;
        _layers[s].Forward(layout, input, Slot(h0, s, state), Slot(c0, s, state), output.Slice(d * HiddenSize), OutputSize, Slot(hN, s, state), Slot(cN, s, state));
    }

    private void BackwardDirection(int l, int d, SequenceLayout layout, ReadOnlySpan<float> input, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        ReadOnlySpan<float> output, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> dhN, ReadOnlySpan<float> dcN,
        Span<float> dInput, Span<float> dh0, Span<float> dc0)
    {
        int s = l * Directions + d, state = layout.BatchSize * HiddenSize;
        _layers[s].Backward(layout, input, Slot(h0, s, state), Slot(c0, s, state), output.Slice(d * HiddenSize), dOutput.Slice(d * HiddenSize), OutputSize,
            Slot(dhN, s, state), Slot(dcN, s, state), dInput, accumulateInput: false, Slot(dh0, s, state), Slot(dc0, s, state));
    }

    private static ReadOnlySpan<float> Slot(ReadOnlySpan<float> states, int slot, int size) =>
        states.IsEmpty ? default : states.Slice(slot * size, size);

    private static Span<float> Slot(Span<float> states, int slot, int size) =>
        states.IsEmpty ? default : states.Slice(slot * size, size);

    /// <summary>A pinned buffer handed to the direction threads (null and 0 for an empty one).</summary>
    private readonly unsafe struct Pinned(float* pointer, int length)
    {
        private readonly float* _pointer = pointer;
        private readonly int _length = length;

        public Span<float> Span => _pointer == null ? default : new Span<float>(_pointer, _length);
    }

    /// <summary>Part d runs direction d of one layer, forward or backward, on buffers pinned by the caller for the call.</summary>
    private sealed class DirectionPair : IParallelWork
    {
        private RecurrentNetwork? _network;
        private SequenceLayout? _layout;
        private readonly Pinned[] _buffers = new Pinned[11];
        private int _layer;
        private bool _backward;

        public void Begin(RecurrentNetwork network, int layer, SequenceLayout layout, bool backward, ReadOnlySpan<Pinned> buffers)
        {
            (_network, _layer, _layout, _backward) = (network, layer, layout, backward);
            buffers.CopyTo(_buffers);
        }

        /// <summary>Drops the pointers before the caller unpins them.</summary>
        public void End()
        {
            (_network, _layout) = (null, null);
            Array.Clear(_buffers);
        }

        public void Execute(int d)
        {
            RecurrentNetwork network = _network!;
            Pinned[] b = _buffers;
            if (!_backward)
                network.ForwardDirection(_layer, d, _layout!, b[0].Span, b[1].Span, b[2].Span, b[3].Span, b[4].Span, b[5].Span);
            else
                network.BackwardDirection(_layer, d, _layout!, b[0].Span, b[1].Span, b[2].Span, b[3].Span, b[4].Span, b[5].Span, b[6].Span,
                    d == 0 ? b[7].Span : b[8].Span, b[9].Span, b[10].Span);
        }
    }
}
