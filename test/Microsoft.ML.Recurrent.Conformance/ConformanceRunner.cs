using System.Text.Json;
using Microsoft.ML.Recurrent.Conformance.Families;

namespace Microsoft.ML.Recurrent.Conformance;

/// <summary>The outcome of one reference case.</summary>
/// <param name="Family">Family name.</param>
/// <param name="Name">Case name (or its index).</param>
/// <param name="Passed">Whether every value was within tolerance.</param>
/// <param name="Detail">Worst errors, or why it failed.</param>
public sealed record CaseResult(string Family, string Name, bool Passed, string Detail);

/// <summary>Runs every case of a reference file through the family checks it knows.</summary>
public static class ConformanceRunner
{
    /// <summary>All families the engine implements.</summary>
    public static IReadOnlyList<IFamilyCheck> Families { get; } =
    [
        new RnnFamily(),
        new CustomCellsFamily(),
        new OptimFamily(),
        new ClipFamily(),
        new CtcFamily(),
        new CtcMapFamily(),
        new CrfFamily(),
        new CrfConstrainedFamily(),
        new Conv1dFamily(),
        new AttentionFamily(),
        new Conv2dFamily(),
        new BatchNormFamily(),
        new AudioFamily(),
    ];

    /// <summary>
    /// Loads <paramref name="path"/> and runs every case. A family without a check counts each of its
    /// cases as failed.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The file is not a reference file.</exception>
    public static List<CaseResult> Run(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Reference file '{path}' does not exist.", path);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new FormatException($"'{path}' is not valid JSON: {e.Message}", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("cases", out var cases) || cases.ValueKind != JsonValueKind.Object)
                throw new FormatException($"'{path}' has no 'cases' object; it is not a reference file.");
            var results = new List<CaseResult>();
            foreach (var family in cases.EnumerateObject())
            {
                IFamilyCheck? check = Families.FirstOrDefault(f => f.Family == family.Name);
                if (family.Value.ValueKind != JsonValueKind.Array) throw new FormatException($"cases.{family.Name} is not an array.");
                int index = 0;
                foreach (var c in family.Value.EnumerateArray())
                {
                    string name = c.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : $"#{index}";
                    index++;
                    if (check is null) { results.Add(new CaseResult(family.Name, name, false, "unknown family")); continue; }
                    results.Add(RunCase(check, c, name));
                }
            }
            return results;
        }
    }

    private static CaseResult RunCase(IFamilyCheck check, JsonElement c, string name)
    {
        var cmp = new Comparison();
        try { check.Run(c, cmp); }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            return new CaseResult(check.Family, name, false, $"error: {e.Message}");
        }
        if (cmp.Count == 0) return new CaseResult(check.Family, name, false, "nothing was compared");
        string worst = $"max abs err {cmp.MaxAbsolute:E2}, max rel err {cmp.MaxRelative:E2} over {cmp.Count} values";
        return cmp.Passed
            ? new CaseResult(check.Family, name, true, worst)
            : new CaseResult(check.Family, name, false, worst + "; " + string.Join("; ", cmp.Failures));
    }
}
