namespace Microsoft.ML.Recurrent;

/// <summary>How attention scores a query against a key.</summary>
public enum AttentionScore
{
    /// <summary>Bahdanau et al. 2015: v . tanh(W_query q + W_key k + bias).</summary>
    Additive,
    /// <summary>Luong et al. 2015: q^T W k.</summary>
    General,
    /// <summary>Luong et al. 2015: q . k (queries and keys of one width).</summary>
    Dot,
    /// <summary>q . k / sqrt(K) (Vaswani et al. 2017).</summary>
    ScaledDot,
}
