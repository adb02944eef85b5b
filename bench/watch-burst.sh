#!/usr/bin/env bash
# Whether opening and closing many watches at once costs the watched node its leaderships: a fresh
# `./raftring local --groups 4`, then a round of `WatchLoad` per STREAMS value: W watchers on n1 (on that many shared
# streams; 0: a connection each) and a single put client for 5 s, rounds 3 s apart. Prints
# the new terms the load tool saw in each round, and the elections and step-downs in the nodes' log.
#   bench/watch-burst.sh [W] [STREAMS...]       # default 1000 watchers, rounds "10 0 10 0"
# Needs a built tree (mvn -o -q -DskipTests test-compile) and free ports: Artery from $ARTERY_BASE (2551) and HTTP
# from $HTTP_BASE (8080), three of each. KEEP_DATA=1 keeps the cluster's directory and log.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-1000}
shift || true
ROUNDS=${*:-10 0 10 0}
export RAFTRING_NODE_JAVA_OPTS="${RAFTRING_NODE_JAVA_OPTS:--Xms256m -Xmx1g} -Dakka.http.server.max-connections=4096"
. bench/local-cluster.sh
require_free_ports
start_local_cluster watch-burst --groups 4 --artery-base-port "$ARTERY_BASE" --http-base-port "$HTTP_BASE"
EP=http://127.0.0.1:$HTTP_BASE,http://127.0.0.1:$((HTTP_BASE + 1)),http://127.0.0.1:$((HTTP_BASE + 2))
LOAD_CP="target/test-classes:$CP"
for streams in $ROUNDS; do
  echo "--- $W watchers, streams=$streams, from $(date +%T.%3N)"
  java -XX:+UseSerialGC -Xmx1g -cp "$LOAD_CP" io.raftring.watch.WatchLoad "http://127.0.0.1:$HTTP_BASE" "$EP" "$W" 1 \
    1000 5 1 "$streams" | grep -i "leadership\|cores busy"
  echo "    closed at $(date +%T.%3N)"
  sleep 3
done
grep -E "leads term|stepping down" "$DATA/local.log" | grep -v RaftReplica | cut -c1-160
