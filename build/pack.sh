#!/usr/bin/env bash
# Packs the library: Microsoft.ML.Recurrent.<version>.nupkg (library, XML docs, README, license, release notes)
# and its symbols package (.snupkg), with the commit recorded in the package's repository metadata.
#   bash build/pack.sh            # into artifacts/packages
#   bash build/pack.sh -o DIR [more dotnet pack arguments, e.g. -p:Version=0.2.0]
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/packages
if [ "${1:-}" = "-o" ]; then out="${2:?-o needs a folder}"; shift 2; fi
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
dotnet pack src/Microsoft.ML.Recurrent/Microsoft.ML.Recurrent.csproj -c Release -o "$out" -p:RepositoryCommit="$commit" --nologo -v quiet "$@"
ls "$out"/Microsoft.ML.Recurrent.*.nupkg "$out"/Microsoft.ML.Recurrent.*.snupkg
