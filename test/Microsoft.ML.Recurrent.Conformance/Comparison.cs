namespace Microsoft.ML.Recurrent.Conformance;

/// <summary>
/// Compares our values with reference values under |ours - ref| &lt;= abs + rel*|ref| and records the
/// worst absolute error, the worst relative error and the quantity that broke the tolerance first.
/// Infinities must match exactly; NaN never matches.
/// </summary>
public sealed class Comparison
{
    /// <summary>Absolute tolerance.</summary>
    public const double AbsoluteTolerance = 1e-4;

    /// <summary>Relative tolerance.</summary>
    public const double RelativeTolerance = 1e-3;

    private readonly List<string> _failures = [];

    /// <summary>Worst |ours - ref| seen.</summary>
    public double MaxAbsolute { get; private set; }

    /// <summary>Worst |ours - ref| / max(|ref|, 1e-12) seen among values with |ref| &gt; 1e-3.</summary>
    public double MaxRelative { get; private set; }

    /// <summary>Number of values compared.</summary>
    public int Count { get; private set; }

    /// <summary>Whether every value was within tolerance.</summary>
    public bool Passed => _failures.Count == 0;

    /// <summary>Descriptions of the first failures.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Compares element-wise; lengths must match.</summary>
    public void Check(string what, ReadOnlySpan<float> ours, IReadOnlyList<double> reference)
    {
        if (ours.Length != reference.Count) { Fail($"{what}: {ours.Length} values, reference has {reference.Count}"); return; }
        for (int i = 0; i < ours.Length; i++) Check(what, i, ours[i], reference[i]);
    }

    /// <summary>Compares element-wise; lengths must match.</summary>
    public void Check(string what, ReadOnlySpan<double> ours, IReadOnlyList<double> reference)
    {
        if (ours.Length != reference.Count) { Fail($"{what}: {ours.Length} values, reference has {reference.Count}"); return; }
        for (int i = 0; i < ours.Length; i++) Check(what, i, ours[i], reference[i]);
    }

    /// <summary>Compares one value.</summary>
    public void Check(string what, int index, double ours, double reference)
    {
        Count++;
        if (double.IsInfinity(reference) || double.IsInfinity(ours))
        {
            if (ours != reference) Fail($"{what}[{index}] = {ours}, reference {reference}");
            return;
        }
        double err = Math.Abs(ours - reference);
        if (double.IsNaN(err)) { Fail($"{what}[{index}] = {ours}, reference {reference}"); return; }
        MaxAbsolute = Math.Max(MaxAbsolute, err);
        if (Math.Abs(reference) > 1e-3) MaxRelative = Math.Max(MaxRelative, err / Math.Abs(reference));
        if (err > AbsoluteTolerance + RelativeTolerance * Math.Abs(reference))
            Fail($"{what}[{index}] = {ours:G9}, reference {reference:G9} (error {err:G3})");
    }

    /// <summary>Compares two exact things (labels, paths).</summary>
    public void Exact<T>(string what, IReadOnlyList<T> ours, IReadOnlyList<T> reference)
    {
        Count++;
        if (!ours.SequenceEqual(reference)) Fail($"{what} = [{string.Join(", ", ours)}], reference [{string.Join(", ", reference)}]");
    }

    /// <summary>Records a failure.</summary>
    public void Fail(string message)
    {
        if (_failures.Count < 5) _failures.Add(message);
        else if (_failures.Count == 5) _failures.Add("...");
    }
}
