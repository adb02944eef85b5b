#!/usr/bin/env bash
# When the JIT settles under load: a fresh `./raftring local --groups G`, 300 s of `raftring bench --workload put` at
# 64 clients, and every 30 s the compilations the three node JVMs made (`jstat -compiler`), the CPU their C2
# compiler threads took and the CPU of the whole nodes (/proc). Shows how long benchmarks must warm up.
#   bench/jit-settle.sh [G]      # default G=1
# Needs a built tree (target/classes, target/classpath.txt), jstat, and ports 2551-2553 and 8080-8082 free.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-1}
. bench/local-cluster.sh
start_local_cluster jit-settle --groups "$G"
PIDS=$(pgrep -f "io.raftring.cli.RaftRingMain node --config .*$DATA" || true)
ticks_of() { local s; s=$(cat "$1"); echo "${s##*) }" | awk '{print $12 + $13}'; }
c2_ticks() {
  local t=0
  for p in $PIDS; do
    for d in /proc/"$p"/task/*; do
      if grep -q C2 "$d/comm" 2>/dev/null; then t=$((t + $(ticks_of "$d/stat"))); fi
    done
  done
  echo "$t"
}
node_ticks() { local t=0; for p in $PIDS; do t=$((t + $(ticks_of /proc/"$p"/stat))); done; echo "$t"; }
compilations() { local t=0; for p in $PIDS; do t=$((t + $(jstat -compiler "$p" | tail -1 | awk '{print $1}'))); done; echo "$t"; }
java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --workload put \
  --clients 64 --duration 300s --warmup 1s >"$DATA/bench.out" 2>/dev/null &
BENCH=$!
c0=$(compilations); k0=$(c2_ticks); a0=$(node_ticks)
for i in $(seq 1 10); do
  sleep 30
  c1=$(compilations); k1=$(c2_ticks); a1=$(node_ticks)
  awk -v s=$((i * 30)) -v c=$((c1 - c0)) -v k=$((k1 - k0)) -v a=$((a1 - a0)) \
    'BEGIN {printf "%3d s: %5d compilations, C2 threads %6.2f s of the nodes %6.2f s CPU (%.0f%%)\n", s, c, k / 100, a / 100, (a > 0 ? 100 * k / a : 0)}'
  c0=$c1; k0=$k1; a0=$a1
done
wait "$BENCH"
grep -E '^throughput' "$DATA/bench.out"
