#!/usr/bin/env bash
# Builds the library, samples, tests and conformance CLI in Release (not the benchmarks, which
# pull TorchSharp's native libtorch; build/bench.sh builds those).
set -euo pipefail
cd "$(dirname "$0")/.."
for p in src/Microsoft.ML.Recurrent src/Samples/* test/Microsoft.ML.Recurrent.Tests test/Microsoft.ML.Recurrent.Conformance; do
  compgen -G "$p/*.csproj" > /dev/null || continue   # src/Samples/Common holds shared sources, not a project
  dotnet build "$p" -c Release "$@"
done
