using Microsoft.ML.Recurrent.Conformance;

if (args.Length != 1 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: conformance <reference.json>");
    Console.Error.WriteLine("Runs every case of the reference file through the engine; tolerance |ours - ref| <= 1e-4 + 1e-3*|ref|.");
    return 2;
}
List<CaseResult> results;
try
{
    results = ConformanceRunner.Run(args[0]);
}
catch (Exception e) when (e is FileNotFoundException or FormatException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.WriteLine("0 passed, 1 failed");
    return 1;
}
foreach (var r in results)
    Console.WriteLine($"{(r.Passed ? "PASS" : "FAIL")} {r.Family}/{r.Name}: {r.Detail}");
int passed = results.Count(r => r.Passed), failed = results.Count - passed;
if (results.Count == 0) { Console.Error.WriteLine("error: the file holds no cases."); failed = 1; }
Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
