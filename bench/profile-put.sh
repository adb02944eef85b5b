#!/usr/bin/env bash
# Where a local cluster's CPU goes under put load, by stack. async-profiler (tools.profiler:async-profiler 3.0 from
# Maven Central) is loaded into each node JVM at start (attached later, it set off a new wave of C2 compilation),
# started through the attach API after WARMUP (default 150s) of puts at 64 clients, and stopped after 15 s of a 22 s
# put run. Collapsed stacks go to OUT (default target/profile-G/n1..n3.collapsed); the script prints the run's
# throughput, the JIT compiler threads' share of the samples, the samples by thread pool (the first frame is the
# thread's name, its number and any bracketed suffix dropped) and the top frames by self time without the JIT. The
# profiler costs throughput (a profiled run is slower), so read shares, not rates.
#   bench/profile-put.sh [G]       # default G=16
#   EVENT=event=alloc,total bench/profile-put.sh 16    # where the bytes are allocated, not the CPU spent
# Needs a built tree (target/classes, target/classpath.txt), Maven, unzip, and ports 2551-2553 and 8080-8082 free.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-16}
WARMUP=${WARMUP:-150s}
OUT=${OUT:-target/profile-$G}
# What to sample: CPU by default; EVENT="event=alloc,total" weighs stacks by the bytes they allocate instead.
EVENT=${EVENT:-event=cpu,interval=2ms}
. bench/async-profiler.sh
fetch_async_profiler
export RAFTRING_NODE_JAVA_OPTS="${RAFTRING_NODE_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError} \
-agentpath:$LIB -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
. bench/local-cluster.sh
start_local_cluster profile --groups "$G"
trap 'kill "$LOCAL_CLUSTER_PID" 2>/dev/null || true; wait "$LOCAL_CLUSTER_PID" 2>/dev/null || true; rm -rf "$DATA" "$LIBDIR"' EXIT
OUT=$(profile_dir "$OUT")
bench() {
  java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --workload put \
    --clients 64 --duration "$1" --warmup 1s 2>/dev/null
}
bench "$WARMUP" >/dev/null
PIDS=$(pgrep -f "io.raftring.cli.RaftRingMain node --config .*$DATA")
(
  sleep 3
  for p in $PIDS; do java bench/AsyncProfilerAttach.java "$p" "$LIB" "start,$EVENT,threads"; done
  sleep 15
  i=0
  for p in $PIDS; do
    i=$((i + 1))
    java bench/AsyncProfilerAttach.java "$p" "$LIB" "stop,file=$OUT/n$i.collapsed,collapsed"
  done
) &
PROFILING=$!
bench 22s | grep -E '^throughput' | tr -s ' '
wait "$PROFILING"
cat "$OUT"/n*.collapsed | awk '{n = $NF; k = $0; sub(/;.*/, "", k); sub(/ [0-9]+$/, "", k)
    sub(/^\[/, "", k); sub(/ tid=[0-9]+\]$/, "", k); sub(/\[.*/, "", k); sub(/[-#]?[0-9]+$/, "", k)
    pool[k] += n; total += n}
  END {printf "samples by thread pool (%d):\n", total
       for (k in pool) printf "%6.1f%% %s\n", 100 * pool[k] / total, k}' \
  | { read -r header; echo "$header"; sort -k1,1 -rn -s | head -12; }
cat "$OUT"/n*.collapsed | awk '{n = $NF; total += n; if ($0 ~ /CompileBroker::/) { jit += n; next }
    rest += n; k = $0; sub(/ [0-9]+$/, "", k); sub(/.*;/, "", k); self[k] += n}
  END {printf "samples %d, JIT compiler threads %.1f%%; top frames by self time of the other %d:\n", total,
         100 * jit / total, rest
       for (k in self) printf "%6.1f%% %s\n", 100 * self[k] / rest, k}' | { read -r header; echo "$header"; sort -k1,1 -rn -s | head -25; }
