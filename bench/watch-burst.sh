#!/usr/bin/env bash
# Whether opening and closing many watches at once costs the watched node its leaderships: a fresh
# `./raftring local --groups 4` (nodes' log kept: KEEP_DATA=1), then `WatchLoad` ROUNDS times with W watchers on n1
# (shared streams of 100 with STREAMS=10, a connection each with 0) and a single put client for 5 s, 3 s apart. Prints
# the new terms the load tool saw in each round, and the elections and step-downs in the nodes' log.
#   bench/watch-burst.sh [W] [STREAMS...]       # default 1000 watchers, rounds "10 0 10 0"
# Needs a built tree (mvn -o -q -DskipTests test-compile) and free ports 2551-2553 and 8080-8082.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-1000}
shift || true
ROUNDS=${*:-10 0 10 0}
export RAFTRING_NODE_JAVA_OPTS="${RAFTRING_NODE_JAVA_OPTS:--Xms256m -Xmx1g} -Dakka.http.server.max-connections=4096"
export KEEP_DATA=1
. bench/local-cluster.sh
for port in 2551 2552 2553 8080 8081 8082; do
  if ss -ltn | grep -q ":$port "; then echo "port $port is in use" >&2; exit 1; fi
done
start_local_cluster watch-burst --groups 4 --artery-base-port 2551 --http-base-port 8080
LOAD_CP="target/test-classes:$CP"
for streams in $ROUNDS; do
  echo "--- $W watchers, streams=$streams, from $(date +%T.%3N)"
  java -XX:+UseSerialGC -Xmx1g -cp "$LOAD_CP" io.raftring.watch.WatchLoad http://127.0.0.1:8080 "$EP" "$W" 1 1000 5 1 \
    "$streams" | grep -i "leadership\|cores busy"
  echo "    closed at $(date +%T.%3N)"
  sleep 3
done
grep -E "leads term|stepping down" "$DATA/local.log" | grep -v RaftReplica | cut -c1-160
