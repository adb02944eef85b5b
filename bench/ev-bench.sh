#!/usr/bin/env bash
# The eventual keyspace (/v1/ev) against the Raft keyspace (/v1/kv) on one fresh local three-node cluster (N = 3,
# 16 Raft groups): puts and gets at 64 clients, W=1/R=1 against Raft puts and lease reads; then W=2 puts with all
# three nodes up and with one of them killed (sloppy quorum: the two left acknowledge, hints wait for the third).
# Each figure is the second of two runs of the same load (the first warms the JVMs up), DURATION long.
#   bench/ev-bench.sh                      # DURATION=20s, Artery ports 2551.., HTTP ports 8080..
#   ARTERY_PORT=12551 HTTP_PORT=18080 DURATION=10s bench/ev-bench.sh
# The nodes are started one by one (not by `raftring local`, which stops every node when one exits) so that one can
# be killed. Needs a built tree (target/classes, target/classpath.txt); data in a temporary directory, removed after.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTERY_PORT=${ARTERY_PORT:-2551}
HTTP_PORT=${HTTP_PORT:-8080}
DURATION=${DURATION:-20s}
DATA=$(mktemp -d /tmp/raftring-ev-bench.XXXXXX)
CP="target/classes:$(cat target/classpath.txt)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT

RAFTRING_SKIP_BUILD=1 ./raftring local --dry-run --data "$DATA/data" --groups 16 \
  --artery-base-port "$ARTERY_PORT" --http-base-port "$HTTP_PORT" >/dev/null
for i in 1 2 3; do
  java -Xms256m -Xmx1g -XX:+UseG1GC -Dlogback.configurationFile=conf/logback.xml -cp "$CP" \
    io.raftring.cli.RaftRingMain node --config conf/local.conf --config "$DATA/data/n$i.conf" \
    --exit-with-parent $$ >"$DATA/n$i.log" 2>&1 &
  PIDS+=($!)
done
for i in 0 1 2; do
  port=$((HTTP_PORT + i))
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
    sleep 1
  done
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "n$((i + 1)) not ready; see $DATA" >&2; exit 1; }
done
EP="http://127.0.0.1:$HTTP_PORT,http://127.0.0.1:$((HTTP_PORT + 1)),http://127.0.0.1:$((HTTP_PORT + 2))"
EP2="http://127.0.0.1:$HTTP_PORT,http://127.0.0.1:$((HTTP_PORT + 1))"

# run LABEL ENDPOINTS ARGS...: the load twice, printing the second run's throughput and latency.
run() {
  local label=$1 endpoints=$2
  shift 2
  for pass in warm measured; do
    line=$(java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$endpoints" \
      --clients 64 --duration "$DURATION" --warmup 3s --keys 10000 "$@" 2>/dev/null \
      | grep -E 'throughput|latency ms|^error' | tr '\n' ' ')
    [ "$pass" = measured ] && printf '%-34s %s\n' "$label" "$line"
  done
}

echo "uptime: $(uptime)"
run "raft put" "$EP" --target raftring --workload put
run "ev put w=1" "$EP" --target ev --workload put --w 1
run "raft get lease" "$EP" --target raftring --workload get --consistency lease --preload
run "ev get r=1" "$EP" --target ev --workload get --r 1 --preload
run "ev put w=2, 3 of 3 up" "$EP" --target ev --workload put --w 2
kill -9 "${PIDS[2]}"
sleep 10 # the failure detector marks n3 unreachable; writes for it go to hints from then on
run "ev put w=2, n3 killed" "$EP2" --target ev --workload put --w 2
echo "hints kept for n3: $(curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | grep '^raftring_ev_hints ')"
echo "uptime: $(uptime)"
