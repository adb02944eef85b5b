#!/usr/bin/env bash
# Put throughput of a fresh local three-node cluster once its JVMs are warm: `./raftring local --groups G`, then
# `raftring bench --workload put` at 16 clients (20 s, to warm up), then at 64 clients twice (20 s each). The second
# 64-client run is the steady-state figure; the first still pays for JIT compilation in the three node JVMs.
#   bench/put-bench.sh [G]        # G groups, default 1
# Needs a built tree (target/classes and target/classpath.txt, e.g. after `mvn -o -q -DskipTests test-compile`),
# ports 2551-2553 and 8080-8082 free; data in a temporary directory, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-1}
DATA=$(mktemp -d /tmp/raftring-put-bench.XXXXXX)
LOG="$DATA/local.log"
RAFTRING_SKIP_BUILD=1 ./raftring local --groups "$G" --data "$DATA/data" >"$LOG" 2>&1 &
LOCAL=$!
trap 'kill "$LOCAL" 2>/dev/null || true; wait "$LOCAL" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 90); do grep -q "cluster ready" "$LOG" && break; sleep 2; done
grep -q "cluster ready" "$LOG" || { echo "the local cluster did not become ready; see $LOG" >&2; exit 1; }
CP="target/classes:$(cat target/classpath.txt)"
EP=http://127.0.0.1:8080,http://127.0.0.1:8081,http://127.0.0.1:8082
for clients in 16 64 64; do
  printf 'G=%s put-%s: ' "$G" "$clients"
  java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --workload put \
    --clients "$clients" --duration 20s --warmup 3s 2>/dev/null | grep -E 'throughput|latency ms' | tr '\n' ' '
  echo
done
