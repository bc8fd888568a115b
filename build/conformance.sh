#!/usr/bin/env bash
# Checks the engine against a reference file (default: ../shared/reference/golden-dev.json).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-../shared/reference/golden-dev.json}
exec dotnet run -c Release --project test/Microsoft.ML.Recurrent.Conformance -- "$file"
