#!/usr/bin/env bash
# Checks the NuGet package as a user gets it: packs the library under a version of its own, restores it from a
# local folder into a fresh console project outside the repository (build/package-check/Program.cs), builds and
# runs it. A package that misses a file, a dependency or its metadata fails here. Prints "package check: ..." last.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.recurrent/$version"' EXIT
version="0.1.0-check.$(date +%s)"
bash build/pack.sh -o "$work/feed" -p:Version="$version" >/dev/null
mkdir "$work/app"
sed "s/@VERSION@/$version/" build/package-check/PackageCheck.csproj.in > "$work/app/PackageCheck.csproj"
cp build/package-check/Program.cs "$work/app/"
# The local feed is added to the machine's sources (this file names a folder, no host).
cat > "$work/app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local-check" value="$work/feed" />
  </packageSources>
</configuration>
CONFIG
cd "$work/app"
dotnet restore --nologo -v quiet
# What the restore unpacked: the files a user of the package relies on.
unpacked="${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.recurrent/$version"
for file in README.md LICENSE lib/net10.0/Microsoft.ML.Recurrent.dll lib/net10.0/Microsoft.ML.Recurrent.xml; do
  [ -f "$unpacked/$file" ] || { echo "package check: the package lacks $file" >&2; exit 1; }
done
[ -f "$work/feed/Microsoft.ML.Recurrent.$version.snupkg" ] || { echo "package check: no symbols package" >&2; exit 1; }
dotnet run -c Release --nologo -v quiet --no-restore
