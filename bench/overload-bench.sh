#!/usr/bin/env bash
# Open-loop overload of a fresh local three-node cluster (conf/local.conf, 16 groups): closed-loop puts at 64 clients
# to warm up (30 s) and to find the saturation rate S (15 s), an unloaded open loop at 100 puts/s, then an open loop
# at MULT x S; prints each run's summary and the node heaps before and after the overload.
#   bench/overload-bench.sh [MULT] [extra node JVM options]
#   OUTSTANDING=256 bench/overload-bench.sh 4 "-Draftring.admission.max-in-flight=16 -Draftring.admission.max-queued=16"
# OUTSTANDING bounds the tool's requests in flight (default 4096; each is a connection with --http-client jdk).
# Needs a built tree (target/classes, target/classpath.txt) and ports 2551-2553, 8080-8082 free.
set -euo pipefail
cd "$(dirname "$0")/.."
MULT=${1:-4}
EXTRA=${2:-}
export RAFTRING_NODE_JAVA_OPTS="-Xms256m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError $EXTRA"
. bench/local-cluster.sh
start_local_cluster overload
bench() {
  java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --workload put "$@" \
    2>/dev/null | grep -E 'throughput|latency ms|error' || true
}
heaps() {
  for pid in $(pgrep -f "RaftRingMain node.*$DATA" || true); do jcmd "$pid" GC.heap_info | grep -E 'heap +total' || true; done
}
echo "== warm-up: closed loop, 64 clients, 30 s"; bench --clients 64 --duration 30s --warmup 3s
echo "== saturation: closed loop, 64 clients, 15 s"; bench --clients 64 --duration 15s --warmup 3s --out "$DATA/closed"
S=$(python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['throughputOpsPerSec']))" "$DATA/closed.json")
echo "S = $S puts/s"
echo "== unloaded: open loop, 100/s, 20 s"; bench --rate 100 --http-client jdk --duration 20s --warmup 3s
RATE=$((MULT * S))
echo "== overload: open loop, $RATE/s = ${MULT} x S, 20 s"
heaps
bench --rate "$RATE" --max-outstanding "${OUTSTANDING:-4096}" --http-client jdk --http-threads 2 --duration 20s \
  --warmup 3s
heaps
