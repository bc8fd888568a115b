using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>Lookup table <c>weight</c> [V, E] (PyTorch <c>nn.Embedding</c>): row i of the output is row ids[i] of the table.</summary>
public sealed class Embedding
{
    /// <summary>Creates a zero table (initialize it before training).</summary>
    public Embedding(int vocabularySize, int embeddingSize, string namePrefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingSize, 1);
        Weight = new Parameter(namePrefix + "weight", vocabularySize, embeddingSize);
    }

    /// <summary>The table [V, E].</summary>
    public Parameter Weight { get; }

    /// <summary>V.</summary>
    public int VocabularySize => Weight.Shape[0];

    /// <summary>E.</summary>
    public int EmbeddingSize => Weight.Shape[1];

    /// <summary>output[R, E] = weight[ids[r]].</summary>
    public void Forward(ReadOnlySpan<int> ids, Span<float> output)
    {
        int e = EmbeddingSize;
        if (output.Length != ids.Length * e) throw new ArgumentException($"output must hold {ids.Length * e} values ([R={ids.Length}, E={e}]) but holds {output.Length}.", nameof(output));
        for (int r = 0; r < ids.Length; r++)
        {
            CheckId(ids, r);
            Weight.Value.AsSpan(ids[r] * e, e).CopyTo(output.Slice(r * e, e));
        }
    }

    /// <summary>Adds dOutput rows into the gradient rows of their ids.</summary>
    public void Backward(ReadOnlySpan<int> ids, ReadOnlySpan<float> dOutput)
    {
        int e = EmbeddingSize;
        if (dOutput.Length != ids.Length * e) throw new ArgumentException($"dOutput must hold {ids.Length * e} values but holds {dOutput.Length}.", nameof(dOutput));
        for (int r = 0; r < ids.Length; r++)
        {
            CheckId(ids, r);
            Span<float> g = Weight.Gradient.AsSpan(ids[r] * e, e);
            System.Numerics.Tensors.TensorPrimitives.Add(g, dOutput.Slice(r * e, e), g);
        }
    }

    private void CheckId(ReadOnlySpan<int> ids, int r)
    {
        if ((uint)ids[r] >= (uint)VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(ids), $"ids[{r}] = {ids[r]} is outside the vocabulary [0, {VocabularySize}).");
    }
}
