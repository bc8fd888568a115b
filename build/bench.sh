#!/usr/bin/env bash
# Benchmarks (Release). Pass --quick for a short run. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project test/Microsoft.ML.Recurrent.Benchmarks -- "$@"
