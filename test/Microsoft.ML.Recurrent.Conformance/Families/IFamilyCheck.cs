using System.Text.Json;

namespace Microsoft.ML.Recurrent.Conformance.Families;

/// <summary>Runs one case of a reference family through the engine and compares every quantity it gives.</summary>
public interface IFamilyCheck
{
    /// <summary>The family name in <c>cases.&lt;family&gt;</c>.</summary>
    string Family { get; }

    /// <summary>Runs the case and records the comparisons.</summary>
    void Run(JsonElement testCase, Comparison comparison);
}
