using System.Text.Json;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>Loads reference parameters by PyTorch name and compares gradients by name.</summary>
public static class ParameterIo
{
    /// <summary>
    /// Loads every parameter from <paramref name="values"/>; both sides must name the same set.
    /// <paramref name="referenceName"/> maps an engine name to the reference's (identity by default).
    /// </summary>
    public static void Load(IReadOnlyList<Parameter> parameters, JsonElement values, Func<string, string>? referenceName = null)
    {
        referenceName ??= n => n;
        var names = values.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var p in parameters)
        {
            string name = referenceName(p.Name);
            if (!values.TryGetProperty(name, out var v)) throw new FormatException($"The reference has no parameter '{name}'.");
            RefTensor t = RefTensor.Read(v);
            if (!t.Shape.SequenceEqual(p.Shape)) throw new FormatException($"Parameter '{p.Name}' is [{string.Join(", ", t.Shape)}] in the reference, [{string.Join(", ", p.Shape)}] here.");
            p.Load(t.ToFloat());
            names.Remove(name);
        }
        if (names.Count > 0) throw new FormatException($"The reference has parameters the engine does not: {string.Join(", ", names)}.");
    }

    /// <summary>Compares each parameter's gradient with <c>grad_params.&lt;name&gt;</c>.</summary>
    public static void CompareGradients(IReadOnlyList<Parameter> parameters, JsonElement gradients, Comparison cmp, Func<string, string>? referenceName = null)
    {
        referenceName ??= n => n;
        foreach (var p in parameters)
            cmp.Check("grad_" + referenceName(p.Name), p.Gradient, Json.Tensor(gradients, referenceName(p.Name)).Data);
    }
}
