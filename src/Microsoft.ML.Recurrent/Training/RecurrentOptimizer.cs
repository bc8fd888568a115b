namespace Microsoft.ML.Recurrent;

/// <summary>The optimizers a recurrent trainer can use.</summary>
public enum RecurrentOptimizer
{
    /// <summary>Adam (Kingma and Ba); weight decay is added to the gradient (L2).</summary>
    Adam,
    /// <summary>AdamW: Adam with decoupled weight decay (Loshchilov and Hutter).</summary>
    AdamW,
    /// <summary>Stochastic gradient descent with momentum 0.9.</summary>
    Sgd,
    /// <summary>RMSProp.</summary>
    RmsProp,
    /// <summary>Adagrad.</summary>
    Adagrad,
}
