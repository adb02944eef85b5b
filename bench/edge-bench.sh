#!/usr/bin/env bash
# Per-message and per-request costs at the edges of a node, apart from Raft and the network (issue 8); see
# bench/README.md for what each measures and the figures:
#   src/jmh/java/io/raftring/raft/AppendEntriesSerializationBenchmark.java  AppendEntries of 1/16/64 KV puts through
#                                                                           Akka's jackson-cbor serializer
#   src/jmh/java/io/raftring/http/KvRouteBenchmark.java                     a KV GET/PUT through the node's routes to
#                                                                           a KvApi that answers at once
# Compiles first when a compiled benchmark is missing or older than any main or benchmark source.
# With no arguments runs both; otherwise the arguments go to JMH (after the run lengths below), e.g.
#   bench/edge-bench.sh KvRouteBenchmark -p admission=on
#   bench/edge-bench.sh AppendEntriesSerializationBenchmark.roundTrip -p entries=64
#   bench/edge-bench.sh AskReplyBenchmark          # an ask and its callback, as GroupRouter does per request
set -euo pipefail
cd "$(dirname "$0")/.."

benchmark_list=target/test-classes/META-INF/BenchmarkList
if [[ ! -f target/classpath.txt || ! -f "$benchmark_list" ]] \
    || ! grep -q KvRouteBenchmark "$benchmark_list" \
    || ! grep -q AppendEntriesSerializationBenchmark "$benchmark_list" \
    || [[ -n "$(find src/main src/jmh -type f -newer "$benchmark_list" -print -quit)" ]]; then
  mvn -o -q -DskipTests test-compile
fi

if [[ $# -eq 0 ]]; then
  set -- 'AppendEntriesSerializationBenchmark|KvRouteBenchmark'
fi
# One fork, short iterations: the machine is shared, both settle within a few seconds of warm-up, and the bound keeps
# a full run near four minutes. The gc profiler reports allocation per operation (gc.alloc.rate.norm, bytes/op).
# JMH refuses a repeated option, so other run lengths go in JMH_RUN, e.g. JMH_RUN="-f 1 -wi 1 -w 1s -i 1 -r 1s".
read -r -a run <<< "${JMH_RUN:--f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc}"
exec java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main "${run[@]}" "$@"
