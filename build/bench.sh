#!/usr/bin/env bash
# Races our engine against TorchSharp-cpu 0.107.0 (libtorch 2.10, CPU) on the workloads A-N (A-H the speed issue's, I-J the tagger's, K-L the language model's, M-N seq2seq's, P speech, Q its log-mel features),
# and against ONNX Runtime 1.31.1 on our exported models (OD, OE: workloads D and E; OS: batch scoring),
# at 1 and 2 threads, in one process: prints a table and writes artifacts/bench.json
# (workload, threads, ours_ms, torch_ms, ratio, gflops, alloc_bytes).
#   bash build/bench.sh            # 30 alternating runs per side
#   bash build/bench.sh --quick    # 10 runs per side, under 5 minutes
#   bash build/bench.sh --threads 2 --only A,G --json out.json
# The first run restores TorchSharp and libtorch-cpu-linux-x64 (about 600 MB) into the NuGet cache. No system
# package is needed: libgomp ships inside the package, and the benchmark patches its own copy of
# libLibTorchSharp.so so that Debian 12's libstdc++ (GLIBCXX 3.4.30) loads it (see TorchLoader.cs).
# Run on an otherwise idle machine; both sides alternate run by run, so load hits them alike.
set -euo pipefail
cd "$(dirname "$0")/.."
# grep without -q: with pipefail, -q exits at the first match and ldconfig dies of SIGPIPE, failing the check.
if ! ldconfig -p 2>/dev/null | grep "libstdc++.so.6" >/dev/null; then
  echo "bench.sh: libstdc++.so.6 is missing; install it (Debian: apt-get install libstdc++6)." >&2
  exit 1
fi
exec dotnet run -c Release --project test/Microsoft.ML.Recurrent.Benchmarks -- "$@"
