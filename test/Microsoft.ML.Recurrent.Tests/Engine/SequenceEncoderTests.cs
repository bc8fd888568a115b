using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The shared encoder and the state type: gradients by finite differences, and state carried across windows.</summary>
[TestClass]
public sealed class SequenceEncoderTests
{
    [TestMethod]
    [DataRow(CellType.Lstm)]
    [DataRow(CellType.Gru)]
    public void EncoderGradientsIncludingStatesMatchFiniteDifferences(CellType cell)
    {
        var random = new Random(3);
        SequenceLayout layout = SequenceLayout.FromSortedLengths([4, 2, 1]);
        var encoder = new SequenceEncoder(cell, 3, 5, numLayers: 2, bidirectional: true);
        encoder.Initialize(random);
        float[] frames = Randoms(random, layout.TotalSteps * 3), r = Randoms(random, layout.TotalSteps * encoder.OutputSize);
        var initial = new RecurrentState(encoder.Recurrent, 3);
        Randoms(random, initial.Hidden.Length).CopyTo(initial.Hidden, 0);
        Randoms(random, initial.Cell.Length).CopyTo(initial.Cell, 0);
        var final = new RecurrentState(encoder.Recurrent, 3);
        var dFinal = new RecurrentState(encoder.Recurrent, 3);
        Randoms(random, dFinal.Hidden.Length).CopyTo(dFinal.Hidden, 0);
        Randoms(random, dFinal.Cell.Length).CopyTo(dFinal.Cell, 0);
        double Loss()
        {
            ReadOnlySpan<float> output = encoder.Forward(layout, frames, initial: initial, final: final);
            return FiniteDifferences.Dot(output, r) + FiniteDifferences.Dot(final.Hidden, dFinal.Hidden) + FiniteDifferences.Dot(final.Cell, dFinal.Cell);
        }
        Loss();
        var dInitial = new RecurrentState(encoder.Recurrent, 3);
        encoder.Backward(r, dFinal, dInitial, frameGradient: true);
        float[] dFrames = encoder.InputGradient.ToArray();
        Assert.HasCount(frames.Length, dFrames);
        foreach (Parameter p in encoder.Parameters) FiniteDifferences.Check(p.Name, p.Value, p.Gradient.ToArray(), Loss, samples: 6);
        FiniteDifferences.Check("frames", frames, dFrames, Loss, samples: 12);
        FiniteDifferences.Check("h0", initial.Hidden, dInitial.Hidden.ToArray(), Loss, samples: 12);
        if (cell == CellType.Lstm) FiniteDifferences.Check("c0", initial.Cell, dInitial.Cell.ToArray(), Loss, samples: 12);
    }

    [TestMethod]
    public void CarryingTheFinalStateIntoTheNextWindowEqualsOneLongRun()
    {
        var random = new Random(5);
        var encoder = new SequenceEncoder(CellType.Lstm, 4, 6, numLayers: 2, vocabularySize: 10);
        encoder.Initialize(random);
        int[] ids = [.. Enumerable.Range(0, 2 * 8).Select(_ => random.Next(10))];
        SequenceLayout whole = SequenceLayout.FromSortedLengths([8, 8]);
        float[] expected = encoder.Forward(whole, ids).ToArray();
        // Two windows of 4 steps: packed rows of steps 0-3 come first, then steps 4-7.
        var state = new RecurrentState(encoder.Recurrent, 2);
        SequenceLayout window = whole.Window(0, 4);
        float[] first = encoder.Forward(window, ids.AsSpan(0, 8), final: state).ToArray();
        var next = new RecurrentState(encoder.Recurrent, 2);
        float[] second = encoder.Forward(window, ids.AsSpan(8, 8), initial: state, final: next).ToArray();
        float[] joined = [.. first, .. second];
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], joined[i], 1e-6f, $"output {i}");
    }
}
