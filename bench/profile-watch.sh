#!/usr/bin/env bash
# Where the node serving the watches spends its CPU: `bench/watch-bench.sh G W` with async-profiler (tools.profiler:
# async-profiler 3.0 from Maven Central) loaded into each node JVM at start, started through the attach API in n1
# 14 s into the watcher phase (the watches are open and the phase's 5 s warm-up is over) and stopped 10 s later.
# Collapsed stacks go to OUT (default target/profile-watch/n1.collapsed); the script prints watch-bench's output, the
# samples by area (JIT compiler, kernel context switches, akka-stream, akka-http, remoting, the watch code, the Raft
# code, storage) and the top frames by self time. The profiler costs throughput, so read shares, not rates.
#   bench/profile-watch.sh [G] [W]       # default G=4, W=1000
# Needs what watch-bench.sh needs, and Maven and unzip.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-4}
W=${2:-1000}
OUT=${OUT:-target/profile-watch}
. bench/async-profiler.sh
fetch_async_profiler
trap 'rm -rf "$LIBDIR"' EXIT
OUT=$(profile_dir "$OUT")
rm -f "$OUT/n1.collapsed"
LOG="$OUT/watch-bench.out"
RAFTRING_NODE_JAVA_OPTS="${RAFTRING_NODE_JAVA_OPTS:--Xms256m -Xmx1g} -agentpath:$LIB -XX:+UnlockDiagnosticVMOptions \
-XX:+DebugNonSafepoints" bench/watch-bench.sh "$G" "$W" >"$LOG" 2>&1 &
BENCH=$!
# watch-bench prints an uptime line before each of its three phases: the second starts the watchers.
until [ "$(grep -c '^uptime' "$LOG" || true)" -ge 2 ]; do
  kill -0 "$BENCH" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 1
done
sleep 14
N1=$(pgrep -f "io.raftring.cli.RaftRingMain node .*/n1\.conf" | head -1)
java bench/AsyncProfilerAttach.java "$N1" "$LIB" start,event=cpu,interval=2ms
sleep 10
java bench/AsyncProfilerAttach.java "$N1" "$LIB" "stop,file=$OUT/n1.collapsed,collapsed"
wait "$BENCH"
grep -v '^uptime' "$LOG"
awk '{n = $NF; total += n
    if ($0 ~ /CompileBroker::/) jit += n
    if ($0 ~ /finish_task_switch/) switch += n
    if ($0 ~ /G1/) g1 += n
    if ($0 ~ /G1ConcurrentRefine|refine_card/) refine += n
    if ($0 ~ /akka\/stream\//) stream += n
    if ($0 ~ /akka\/http\//) http += n
    if ($0 ~ /akka\/remote\//) remote += n
    if ($0 ~ /io\/raftring\/watch\//) watch += n
    if ($0 ~ /io\/raftring\/raft\//) raft += n
    if ($0 ~ /io\/raftring\/storage\//) storage += n}
  END {printf "n1: %d samples; JIT compiler %d, context switches %d, G1 %d (of it concurrent refinement %d), " \
         "akka-stream %d, akka-http %d, remoting %d, io.raftring.watch %d, io.raftring.raft %d, " \
         "io.raftring.storage %d (a sample may count in several)\n",
         total, jit, switch, g1, refine, stream, http, remote, watch, raft, storage}' "$OUT/n1.collapsed"
awk '{n = $NF; k = $0; sub(/ [0-9]+$/, "", k); sub(/.*;/, "", k); self[k] += n}
  END {for (k in self) printf "%6d %s\n", self[k], k}' "$OUT/n1.collapsed" | sort -rn | awk 'NR <= 15'
