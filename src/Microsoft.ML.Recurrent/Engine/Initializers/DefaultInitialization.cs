using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Engine.Initializers;

/// <summary>
/// The initialization recurrent networks train well from: Xavier-uniform input weights, orthogonal
/// recurrent weights per gate block, zero biases with the LSTM forget-gate bias at 1 (Jozefowicz et
/// al.), and for ReLU cells the IRNN recipe (identity recurrent weights, Le et al.).
/// </summary>
public static class DefaultInitialization
{
    /// <summary>Initializes every layer of <paramref name="network"/> from <paramref name="random"/>.</summary>
    public static void Apply(RecurrentNetwork network, Random random)
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (RecurrentLayer layer in network.Layers)
        {
            Initializer.XavierUniform(layer.WeightIh, random);
            if (layer.CellType == CellType.ElmanRelu) Initializer.Identity(layer.WeightHh);
            else Initializer.Orthogonal(layer.WeightHh, random, blocks: layer.GateCount);
            Initializer.Constant(layer.BiasIh, 0f);
            Initializer.Constant(layer.BiasHh, 0f);
            if (layer.CellType is CellType.Lstm or CellType.PeepholeLstm) Initializer.ForgetGateBias(layer.BiasIh, 1f);
        }
    }
}
