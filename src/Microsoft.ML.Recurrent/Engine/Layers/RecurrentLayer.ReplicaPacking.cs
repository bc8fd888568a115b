using Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// Packed weights shared by the replicas of a layer (<see cref="RecurrentNetwork.ShareWeights"/>): a decoder that runs
/// one step per replica would otherwise repack W_ih and W_hh at every step, forward and backward (W_ih twice: for the input projection and for the input gradient). The copies are
/// made by the first replica that needs them after <see cref="BeginReplicaPass"/> and reused by the others until the
/// next pass, so the owner must begin a pass whenever the weights may have changed (each training batch).
/// </summary>
public sealed partial class RecurrentLayer
{
    private ReplicaPacking? _replicaPacking;

    /// <summary>Marks the packed copies the replicas share as stale (the weights may have changed since they were made).</summary>
    internal void BeginReplicaPass()
    {
        if (_replicaPacking is { } p) p.Version++;
    }

    /// <summary>This layer's shared packing if it is a replica, else null.</summary>
    private ReplicaPacking? Shared => _isReplica ? _replicaPacking : null;

    private sealed class ReplicaPacking
    {
        public readonly PackedMatrix Input = new(), InputBackward = new(), Forward = new(), Backward = new();
        public readonly PackedRows Rows = new();
        public long Version = 1, InputAt, InputBackwardAt, ForwardAt, BackwardAt, RowsAt;

        /// <summary>Whether the copy stamped <paramref name="at"/> must be made now; stamps it current.</summary>
        public bool Stale(ref long at)
        {
            bool stale = at != Version;
            at = Version;
            return stale;
        }
    }
}
