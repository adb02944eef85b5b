#!/usr/bin/env bash
# Transactions against single puts on one fresh local cluster, back to back so that all see the same machine:
# `./raftring local --groups G`, puts at 64 clients to warm the JVMs up, then ROUNDS rounds of put, txn-transfer with
# both keys in one group (one hash tag: one Raft entry) and txn-transfer across two groups (two-phase commit), each at
# 1 and at 64 clients. A txn-transfer is one transaction putting two keys. Prints every run, then per client count
# the median throughput and p50 of each workload and their ratios to put's.
#   bench/txn-bench.sh                  # G = 16, 3 rounds of 10 s runs after 30 s of warm-up
#   G=4 ROUNDS=5 DURATION=20s WARMUP=60s bench/txn-bench.sh
# Needs a built tree (target/classes, target/classpath.txt), ports 2551-2553 and 8080-8082 free; data in a temporary
# directory, removed afterwards. Run it on a quiet machine, and say how quiet (uptime) with its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${G:-16}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-30s}
. bench/local-cluster.sh
start_local_cluster txn-bench --groups "$G"
RESULTS=$(mktemp /tmp/raftring-txn-bench.XXXXXX)
run() {
  local name=$1 clients=$2
  shift 2
  local line
  line=$(java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --clients "$clients" \
    --duration "$DURATION" --warmup 2s "$@" 2>/dev/null | grep -E 'throughput|latency ms' | tr '\n' ' ')
  local ops p50
  ops=$(awk '{for (i = 1; i < NF; i++) if ($i == "throughput") { print $(i + 1); exit }}' <<<"$line")
  p50=$(awk '{for (i = 1; i < NF; i++) if ($i == "p50") { print $(i + 1); exit }}' <<<"$line")
  printf '%-12s %3s clients: %8s ops/s  p50 %8s ms\n' "$name" "$clients" "$ops" "$p50"
  echo "$name $clients $ops $p50" >>"$RESULTS"
}
echo "G=$G, $(uptime)"
java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --workload put \
  --clients 64 --duration "$WARMUP" --warmup 0s >/dev/null 2>&1 || true
for round in $(seq 1 "$ROUNDS"); do
  for clients in 1 64; do
    run put "$clients" --workload put
    run txn-same "$clients" --workload txn-transfer --txn-keys same-group
    run txn-cross "$clients" --workload txn-transfer --txn-keys cross-group
  done
done
echo "after the runs: $(uptime)"
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
printf '\n%-12s %8s %12s %10s %12s %10s\n' "workload" "clients" "median ops/s" "x put" "median p50" "x put"
for clients in 1 64; do
  put_ops=$(awk -v c="$clients" '$1 == "put" && $2 == c { print $3 }' "$RESULTS" | median)
  put_p50=$(awk -v c="$clients" '$1 == "put" && $2 == c { print $4 }' "$RESULTS" | median)
  for name in put txn-same txn-cross; do
    ops=$(awk -v n="$name" -v c="$clients" '$1 == n && $2 == c { print $3 }' "$RESULTS" | median)
    p50=$(awk -v n="$name" -v c="$clients" '$1 == n && $2 == c { print $4 }' "$RESULTS" | median)
    printf '%-12s %8s %12s %10s %12s %10s\n' "$name" "$clients" "$ops" \
      "$(awk -v a="$ops" -v b="$put_ops" 'BEGIN { printf "%.2f", a / b }')" "$p50" \
      "$(awk -v a="$p50" -v b="$put_p50" 'BEGIN { printf "%.2f", a / b }')"
  done
done
rm -f "$RESULTS"
