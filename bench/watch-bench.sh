#!/usr/bin/env bash
# Watch latency and the put throughput it costs: a fresh `./raftring local --groups G`, WARMUP seconds (default 150:
# the C2 compilers settle after about two minutes of load on 2 cores) of puts at 64 clients to warm the JVMs, then `WatchLoad` (src/jmh/java/io/raftring/watch/WatchLoad.java) three times for 20 s each: puts at
# 64 clients through all three nodes with no watchers, with W watchers on node 1 (each following one of W keys, the
# keys the clients put), and with none again. Each run prints put throughput and the watch latency from the put's
# send and from its acknowledgement.
#   bench/watch-bench.sh [G] [W]      # default G=4, W=1000
#   LEADERS="n2 n3 n2 n3" bench/watch-bench.sh 4   # group gI led by the I-th node named (leader balancing off),
#                                                  # set before the warm-up and again before the measured runs
#   STREAMS=10 bench/watch-bench.sh 4 1000         # the W watchers share 10 POST /v1/watch streams (etcd's
#                                                  # benchmark default: 10 streams) instead of a connection each
#   LOAD_JAVA_OPTS="-XX:+UseSerialGC -Xmx1g -Xlog:gc:file=/tmp/load-gc-%p.log:uptime" bench/watch-bench.sh 4
#                                                  # the load tool's own JVM options (default as here, without the
#                                                  # log): its pauses delay the events it times, too
# Needs a built tree (mvn -o -q -DskipTests test-compile) and free ports: Artery from $ARTERY_BASE (2551) and HTTP
# from $HTTP_BASE (8080), three of each.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-4}
W=${2:-1000}
WARMUP=${WARMUP:-150}
# One HTTP connection per watcher: the node must accept more than akka-http's default 1024.
export RAFTRING_NODE_JAVA_OPTS="${RAFTRING_NODE_JAVA_OPTS:--Xms256m -Xmx1g} -Dakka.http.server.max-connections=4096"
LEADERS=${LEADERS:-}
STREAMS=${STREAMS:-0}
if [ -n "$LEADERS" ]; then
  RAFTRING_NODE_JAVA_OPTS="$RAFTRING_NODE_JAVA_OPTS -Draftring.placement.balance-leaders=off"
fi
. bench/local-cluster.sh
require_free_ports
start_local_cluster watch-bench --groups "$G" --artery-base-port "$ARTERY_BASE" --http-base-port "$HTTP_BASE"
EP=http://127.0.0.1:$HTTP_BASE,http://127.0.0.1:$((HTTP_BASE + 1)),http://127.0.0.1:$((HTTP_BASE + 2))
LOAD_CP="target/test-classes:$CP"
load() {
  # shellcheck disable=SC2086
  java ${LOAD_JAVA_OPTS:--XX:+UseSerialGC -Xmx1g} -cp "$LOAD_CP" io.raftring.watch.WatchLoad \
    "http://127.0.0.1:$HTTP_BASE" "$EP" "$@"
}
# Transfers leadership as LEADERS says (an admin call per group; a transfer to the leader itself changes nothing).
place_leaders() {
  local g=0
  for node in $LEADERS; do
    echo "g$g -> $node: $(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$HTTP_BASE/v1/admin/groups/g$g/leader/$node")"
    g=$((g + 1))
  done
}
place_leaders
load 0 64 "$W" "$WARMUP" 3 >/dev/null
place_leaders
for watchers in 0 "$W" 0; do
  echo "uptime: $(uptime)"
  load "$watchers" 64 "$W" 20 5 "$STREAMS"
done
