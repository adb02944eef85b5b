#!/usr/bin/env bash
# Put throughput of a fresh local three-node cluster once its JVMs are warm: `./raftring local --groups G`, then
# `raftring bench --workload put` at 16 clients (to warm up), then at 64 clients twice, DURATION seconds each
# (default 20). The second 64-client run is the steady-state figure; the first still pays for JIT compilation in the
# three node JVMs, unless WARMUP seconds (default 0) of unreported puts at 64 clients came first (150 lets the C2
# compilers settle: bench/jit-settle.sh). Each run also says whether leadership changed during it.
#   bench/put-bench.sh [G]                       # G groups, default 1
#   WARMUP=150 DURATION=60 bench/put-bench.sh 16 # the issue's steady run: 60 s at 64 clients on warm JVMs
# Needs a built tree (target/classes and target/classpath.txt, e.g. after `mvn -o -q -DskipTests test-compile`),
# ports 2551-2553 and 8080-8082 free; data in a temporary directory, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-1}
WARMUP=${WARMUP:-0}
DURATION=${DURATION:-20}
. bench/local-cluster.sh
start_local_cluster put-bench --groups "$G"
put() {
  java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --workload put \
    --clients "$1" --duration "$2" --warmup 3s 2>/dev/null
}
if [ "$WARMUP" -gt 0 ]; then
  put 64 "${WARMUP}s" >/dev/null
fi
for clients in 16 64 64; do
  printf 'G=%s put-%s: ' "$G" "$clients"
  put "$clients" "${DURATION}s" | grep -E 'throughput|latency ms|leadership' | tr '\n' ' '
  echo
done
