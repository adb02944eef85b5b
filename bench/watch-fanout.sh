#!/usr/bin/env bash
# What one node's watch path costs per event, in one process, without HTTP, Raft or the network
# (src/jmh/java/io/raftring/watch/WatchFanout.java): W watches of W keys over 4 groups, a put of a random one applied
# to the node's histories RATE times a second; prints the latency from the apply and the CPU per delivered event.
# Runs once with a stream per watch (as GETs) and once with the watches on STREAMS shared streams (as POSTs).
#   bench/watch-fanout.sh [W] [RATE] [DURATION_S]     # default 1000 3000 20 (after a 20 s warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-1000}
RATE=${2:-3000}
DURATION=${3:-20}
WARMUP=${WARMUP:-20}
STREAMS=${STREAMS:-10}
if [[ ! -f target/classpath.txt || ! -f target/test-classes/io/raftring/watch/WatchFanout.class ]] \
    || [[ -n "$(find src/main src/jmh -newer target/test-classes/io/raftring/watch/WatchFanout.class -type f -print -quit)" ]]; then
  mvn -o -q -DskipTests test-compile
fi
for streams in 0 "$STREAMS"; do
  java -XX:+UseSerialGC -Xms256m -Xmx1g -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
    io.raftring.watch.WatchFanout "$W" "$RATE" "$DURATION" "$WARMUP" "$streams"
done
