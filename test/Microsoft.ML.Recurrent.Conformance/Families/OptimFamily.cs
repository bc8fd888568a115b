using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Optimizers;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary><c>optim</c>: a parameter's trajectory under a sequence of given gradients (torch.optim semantics).</summary>
public sealed class OptimFamily : IFamilyCheck
{
    /// <inheritdoc/>
    public string Family => "optim";

    /// <inheritdoc/>
    public void Run(JsonElement c, Comparison cmp)
    {
        RefTensor[] trajectory = Json.Get(c, "trajectory").EnumerateArray().Select(RefTensor.Read).ToArray();
        RefTensor[] grads = Json.Get(c, "grads").EnumerateArray().Select(RefTensor.Read).ToArray();
        if (trajectory.Length != grads.Length + 1) throw new FormatException($"{grads.Length} gradients need {grads.Length + 1} trajectory points, found {trajectory.Length}.");
        var p = new Parameter("p", trajectory[0].Shape);
        p.Load(trajectory[0].ToFloat());
        JsonElement h = Json.Get(c, "hyperparameters");
        Optimizer optimizer = Create(Json.Get(c, "optimizer").GetString() ?? "", p, h);
        for (int k = 0; k < grads.Length; k++)
        {
            grads[k].ToFloat().CopyTo(p.Gradient, 0);
            optimizer.Step();
            cmp.Check($"trajectory[{k + 1}]", p.Value, trajectory[k + 1].Data);
        }
    }

    private static Optimizer Create(string name, Parameter p, JsonElement h)
    {
        float F(string key, float fallback) => h.TryGetProperty(key, out var v) ? (float)Json.Number(v) : fallback;
        bool B(string key) => Json.Bool(h, key);
        (float b1, float b2) = h.TryGetProperty("betas", out var betas)
            ? ((float)Json.Number(betas[0]), (float)Json.Number(betas[1])) : (0.9f, 0.999f);
        return name switch
        {
            "sgd" => new Sgd([p], F("lr", 1e-3f), F("momentum", 0f), B("nesterov"), F("weight_decay", 0f), F("dampening", 0f)),
            "adam" => new Adam([p], F("lr", 1e-3f), b1, b2, F("eps", 1e-8f), F("weight_decay", 0f)),
            "adamw" => Adam.AdamW([p], F("lr", 1e-3f), F("weight_decay", 0.01f), b1, b2, F("eps", 1e-8f)),
            "rmsprop" => new RmsProp([p], F("lr", 1e-2f), F("alpha", 0.99f), F("eps", 1e-8f), F("weight_decay", 0f), F("momentum", 0f), B("centered")),
            "adagrad" => new Adagrad([p], F("lr", 1e-2f), F("lr_decay", 0f), F("weight_decay", 0f), F("initial_accumulator_value", 0f), F("eps", 1e-10f)),
            _ => throw new FormatException($"Unknown optimizer '{name}'."),
        };
    }
}
