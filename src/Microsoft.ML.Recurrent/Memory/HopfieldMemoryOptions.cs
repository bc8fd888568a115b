namespace Microsoft.ML.Recurrent;

/// <summary>Which Hopfield network an associative memory uses.</summary>
public enum HopfieldMemoryKind
{
    /// <summary>The classic binary network: patterns are +-1 vectors (values above 0 read as +1, the rest as -1).</summary>
    Binary,
    /// <summary>The modern continuous network (Ramsauer et al. 2020): real-valued patterns, softmax retrieval, exponential capacity.</summary>
    Modern,
}

/// <summary>
/// Options of the Hopfield associative memory: <c>Fit</c> stores every row of a fixed-size vector column as a pattern;
/// <c>Transform</c> starts from each row's vector and appends the recalled pattern, its energy, the iterations run and
/// the stored pattern it matched.
/// </summary>
public sealed class HopfieldMemoryOptions
{
    /// <summary>The pattern column: a vector of Single of fixed size N.</summary>
    public string InputColumnName { get; set; } = "Features";

    /// <summary>Classic binary or modern continuous.</summary>
    public HopfieldMemoryKind Kind { get; set; } = HopfieldMemoryKind.Binary;

    /// <summary>The classic network's learning rule.</summary>
    public HopfieldLearningRule LearningRule { get; set; } = HopfieldLearningRule.Hebbian;

    /// <summary>The classic network's update order.</summary>
    public HopfieldUpdate Update { get; set; } = HopfieldUpdate.Asynchronous;

    /// <summary>The modern network's inverse temperature beta (larger: sharper retrieval).</summary>
    public float Beta { get; set; } = 1f;

    /// <summary>Most sweeps (classic) or retrieval steps (modern) per row.</summary>
    public int MaximumIterations { get; set; } = 100;

    /// <summary>Seed of the asynchronous update order (row r uses Seed + r, so results do not depend on how rows are read).</summary>
    public int Seed { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(InputColumnName, nameof(InputColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaximumIterations, 1, nameof(MaximumIterations));
        if (!(Beta > 0) || !float.IsFinite(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "Beta must be a finite number > 0.");
        if (!Enum.IsDefined(Kind) || !Enum.IsDefined(LearningRule) || !Enum.IsDefined(Update)) throw new ArgumentOutOfRangeException(nameof(Kind), "An option names no known kind, rule or update.");
    }

    internal HopfieldMemoryOptions Clone() => (HopfieldMemoryOptions)MemberwiseClone();
}
