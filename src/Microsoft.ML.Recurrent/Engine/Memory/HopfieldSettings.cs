namespace Microsoft.ML.Recurrent;

// The classic network's settings, in the namespace ML.NET users import (they are options of HopfieldMemoryOptions too).

/// <summary>How a classic Hopfield network turns stored patterns into weights.</summary>
public enum HopfieldLearningRule
{
    /// <summary>W = (1/N) sum over patterns of x x^T with a zero diagonal (Hopfield 1982); capacity near 0.138 N.</summary>
    Hebbian,
    /// <summary>Storkey's (1997) incremental rule, which subtracts the local fields of the stored patterns; higher capacity.</summary>
    Storkey,
}

/// <summary>How a classic Hopfield network updates its neurons during recall.</summary>
public enum HopfieldUpdate
{
    /// <summary>One neuron at a time in a seeded random order; the energy never increases and recall ends at a fixed point.</summary>
    Asynchronous,
    /// <summary>All neurons at once; may end in a two-state cycle, which stops recall.</summary>
    Synchronous,
}
