using System.Numerics;
using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>The backward pass of <see cref="Attention"/>: per step, then once for the keys.</summary>
public sealed partial class Attention
{
    /// <summary>
    /// Backpropagates forward step <paramref name="step"/>: accumulates the query-side parameter gradients, writes
    /// dQuery [B, Q] and gathers the key-side gradient for <see cref="BackwardKeys"/>.
    /// </summary>
    /// <param name="step">A forward step since the last <see cref="Prepare"/>, 0-based.</param>
    /// <param name="dContext">[B, K] gradient of the loss with respect to the step's contexts.</param>
    /// <param name="dWeights">[B, S] gradient with respect to the step's weights, or empty.</param>
    /// <param name="dQuery">[B, Q] receives the query gradient (overwritten).</param>
    public void BackwardStep(int step, ReadOnlySpan<float> dContext, ReadOnlySpan<float> dWeights, Span<float> dQuery)
    {
        int b = _batch, s = _sources, q = QuerySize, k = KeySize, p = ProjectedSize;
        if (!_keepSteps) throw new InvalidOperationException("The keys were prepared for inference (keepSteps: false); prepare them with keepSteps to backpropagate.");
        if (step < 0 || step >= _steps) throw new ArgumentOutOfRangeException(nameof(step), $"Step {step} was not run forward ({_steps} steps since Prepare).");
        Guard.Length(dContext, b * k, nameof(dContext), $"[B={b}, K={k}]");
        if (!dWeights.IsEmpty) Guard.Length(dWeights, b * s, nameof(dWeights), $"[B={b}, S={s}]");
        Guard.Length(dQuery, b * q, nameof(dQuery), $"[B={b}, Q={q}]");
        ReadOnlySpan<float> query = _queries[step].AsSpan(0, b * q), weights = _weights[step].AsSpan(0, b * s);
        bool additive = Score == AttentionScore.Additive;
        if (additive)
        {
            Workspace.Grow(ref _dQueryProjection, b * p);
            _dQueryProjection.AsSpan(0, b * p).Clear();
        }
        dQuery.Clear();
        Workspace.Grow(ref _dScores, s);
        float scale = DotScale;
        for (int i = 0; i < b; i++)
        {
            int valid = _lengths[i];
            ReadOnlySpan<float> gc = dContext.Slice(i * k, k), wi = weights.Slice(i * s, valid);
            Span<float> dScores = _dScores.AsSpan(0, valid);
            // dWeight = dContext . key + dWeights; the softmax turns it into dScore = w (dWeight - sum w dWeight).
            double mean = 0;
            for (int j = 0; j < valid; j++)
            {
                Span<float> dKey = _dKeys.AsSpan((i * s + j) * k, k);
                dScores[j] = TensorPrimitives.Dot(gc, _keys.AsSpan((i * s + j) * k, k)) + (dWeights.IsEmpty ? 0 : dWeights[i * s + j]);
                mean += wi[j] * dScores[j];
                TensorPrimitives.MultiplyAdd(gc, wi[j], dKey, dKey);
            }
            for (int j = 0; j < valid; j++) dScores[j] = wi[j] * (dScores[j] - (float)mean);
            if (additive) AdditiveScoreBackward(step, i, dScores);
            else
                for (int j = 0; j < valid; j++)
                {
                    // score = scale * q . P: dq += scale dScore P, dP += scale dScore q.
                    Span<float> dProjected = _dProjected.AsSpan((i * s + j) * p, p);
                    TensorPrimitives.MultiplyAdd(_projected.AsSpan((i * s + j) * p, p), scale * dScores[j], dQuery.Slice(i * q, q), dQuery.Slice(i * q, q));
                    TensorPrimitives.MultiplyAdd(query.Slice(i * q, q), scale * dScores[j], dProjected, dProjected);
                }
        }
        if (!additive) return;
        // q W_query^T: dQuery = dQP W_query, dW_query += dQP^T q.
        ReadOnlySpan<float> dqp = _dQueryProjection.AsSpan(0, b * p);
        Gemm.NN(b, q, p, dqp, p, Parameters[0].Value, q, dQuery, q, accumulate: false);
        Gemm.TN(p, q, b, dqp, p, query, q, Parameters[0].Gradient, q, accumulate: true);
    }

    /// <summary>Finishes backward after every step's <see cref="BackwardStep"/>: accumulates the key-side parameter gradients and writes dKeys [B, S, K].</summary>
    /// <param name="dKeys">[B, S, K] receives the key gradient (overwritten; 0 at masked positions).</param>
    public void BackwardKeys(Span<float> dKeys)
    {
        int b = _batch, s = _sources, k = KeySize, p = ProjectedSize, rows = b * s;
        if (b == 0) throw new InvalidOperationException("Call Prepare and Forward before backward.");
        Guard.Length(dKeys, rows * k, nameof(dKeys), $"[B={b}, S={s}, K={k}]");
        _dKeys.AsSpan(0, rows * k).CopyTo(dKeys);
        ReadOnlySpan<float> dProjected = _dProjected.AsSpan(0, rows * p), keys = _keys.AsSpan(0, rows * k);
        switch (Score)
        {
            case AttentionScore.Additive:
                // P = keys W_key^T + bias.
                Gemm.NN(rows, k, p, dProjected, p, Parameters[1].Value, k, dKeys, k, accumulate: true);
                Gemm.TN(p, k, rows, dProjected, p, keys, k, Parameters[1].Gradient, k, accumulate: true);
                Gemm.AddColumnSums(rows, p, dProjected, p, Parameters[2].Gradient);
                break;
            case AttentionScore.General:
                // P = keys W^T.
                Gemm.NN(rows, k, p, dProjected, p, Parameters[0].Value, k, dKeys, k, accumulate: true);
                Gemm.TN(p, k, rows, dProjected, p, keys, k, Parameters[0].Gradient, k, accumulate: true);
                break;
            default:
                TensorPrimitives.Add(dKeys, dProjected, dKeys);
                break;
        }
    }

    /// <summary>Backpropagates the last forward step and the keys: <see cref="BackwardStep"/> then <see cref="BackwardKeys"/>.</summary>
    /// <param name="dContext">[B, K] gradient of the loss with respect to the contexts.</param>
    /// <param name="dWeights">[B, S] gradient with respect to the weights, or empty.</param>
    /// <param name="dQuery">[B, Q] receives the query gradient (overwritten).</param>
    /// <param name="dKeys">[B, S, K] receives the key gradient (overwritten).</param>
    public void Backward(ReadOnlySpan<float> dContext, ReadOnlySpan<float> dWeights, Span<float> dQuery, Span<float> dKeys)
    {
        if (_steps == 0) throw new InvalidOperationException("Call Forward before Backward.");
        BackwardStep(_steps - 1, dContext, dWeights, dQuery);
        BackwardKeys(dKeys);
    }

    /// <summary>score = v . h with h = tanh(P + W_query q): dv += dScore h, dPre = dScore v (1 - h^2) goes to dP and to dQP (one fused pass per position).</summary>
    private void AdditiveScoreBackward(int step, int i, ReadOnlySpan<float> dScores)
    {
        int s = _sources, p = ProjectedSize;
        Parameter v = Parameters[3];
        Span<float> dqp = _dQueryProjection.AsSpan(i * p, p), dv = v.Gradient;
        ReadOnlySpan<float> vv = v.Value;
        float[] hidden = _hidden[step];
        for (int j = 0; j < dScores.Length; j++)
        {
            ReadOnlySpan<float> h = hidden.AsSpan((i * s + j) * p, p);
            Span<float> dProjected = _dProjected.AsSpan((i * s + j) * p, p);
            float ds = dScores[j];
            int k = 0;
            if (Vector.IsHardwareAccelerated)
                for (; k <= p - Vector<float>.Count; k += Vector<float>.Count)
                {
                    var hk = new Vector<float>(h[k..]);
                    var pre = (Vector<float>.One - hk * hk) * new Vector<float>(vv[k..]) * ds;
                    (new Vector<float>(dProjected[k..]) + pre).CopyTo(dProjected[k..]);
                    (new Vector<float>(dqp[k..]) + pre).CopyTo(dqp[k..]);
                    (new Vector<float>(dv[k..]) + hk * ds).CopyTo(dv[k..]);
                }
            for (; k < p; k++)
            {
                float pre = (1 - h[k] * h[k]) * vv[k] * ds;
                dProjected[k] += pre;
                dqp[k] += pre;
                dv[k] += h[k] * ds;
            }
        }
    }
}
