#!/usr/bin/env bash
# Watch latency and the put throughput it costs: a fresh `./raftring local --groups G`, 30 s of puts at 64 clients to
# warm the JVMs, then `WatchLoad` (src/jmh/java/io/raftring/watch/WatchLoad.java) three times for 20 s each: puts at
# 64 clients through all three nodes with no watchers, with W watchers on node 1 (each following one of W keys, the
# keys the clients put), and with none again. Each run prints put throughput and the watch latency from the put's
# send and from its acknowledgement.
#   bench/watch-bench.sh [G] [W]      # default G=4, W=1000
# Needs a built tree (mvn -o -q -DskipTests test-compile), ports 2551-2553 and 8080-8082 free.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-4}
W=${2:-1000}
# One HTTP connection per watcher: the node must accept more than akka-http's default 1024.
export RAFTRING_NODE_JAVA_OPTS="${RAFTRING_NODE_JAVA_OPTS:--Xms256m -Xmx1g} -Dakka.http.server.max-connections=4096"
. bench/local-cluster.sh
start_local_cluster watch-bench --groups "$G"
LOAD_CP="target/test-classes:$CP"
load() {
  java -XX:+UseSerialGC -Xmx1g -cp "$LOAD_CP" io.raftring.watch.WatchLoad http://127.0.0.1:8080 "$EP" "$@"
}
load 0 64 "$W" 30 3 >/dev/null
for watchers in 0 "$W" 0; do
  echo "uptime: $(uptime)"
  load "$watchers" 64 "$W" 20 5
done
