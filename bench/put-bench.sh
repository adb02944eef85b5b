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
. bench/local-cluster.sh
start_local_cluster put-bench --groups "$G"
for clients in 16 64 64; do
  printf 'G=%s put-%s: ' "$G" "$clients"
  java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --workload put \
    --clients "$clients" --duration 20s --warmup 3s 2>/dev/null | grep -E 'throughput|latency ms' | tr '\n' ' '
  echo
done
