#!/usr/bin/env bash
# Runs the whole test suite (unit, gradient, conformance, learning checks) in Release and prints
# "N passed, M failed" from the test results file. Exit status: 0 only if everything passed.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it first." >&2; echo "0 passed, 1 failed"; exit 1; }
[ -f ../shared/reference/golden-dev.json ] || echo "warning: ../shared/reference/golden-dev.json is missing; the conformance tests will fail." >&2

results=TestResults
rm -rf "$results"
dotnet test test/Microsoft.ML.Recurrent.Tests/Microsoft.ML.Recurrent.Tests.csproj -c Release \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  passed=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  failed=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  total=$(echo "$counters" | sed -n 's/.*total="\([0-9]*\)".*/\1/p')
  passed=${passed:-0}; failed=${failed:-0}; total=${total:-0}
  # Tests that neither passed nor failed (timeouts, aborts, not run) count as failed.
  other=$((total - passed - failed))
  [ "$other" -gt 0 ] && failed=$((failed + other))
else
  passed=0; failed=1
  echo "error: no test results were written (build failure?)." >&2
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
