#!/usr/bin/env bash
# Runs the HashRing lookup benchmark (src/jmh/java/io/raftring/ring/RingLookupBenchmark.java).
# Compiles first when the compiled benchmark is missing or older than any ring source.
# Extra arguments go to JMH, e.g.  bench/ring-bench.sh -p virtualNodesPerMember=128,1000
set -euo pipefail
cd "$(dirname "$0")/.."

benchmark_list=target/test-classes/META-INF/BenchmarkList
if [[ ! -f target/classpath.txt || ! -f "$benchmark_list" ]] \
    || ! grep -q RingLookupBenchmark "$benchmark_list" \
    || [[ -n "$(find src/main/java/io/raftring/ring src/jmh/java/io/raftring/ring -name '*.java' -newer "$benchmark_list")" ]]; then
  mvn -o -q -DskipTests test-compile
fi

# Short warm-up and measurement iterations: the machine is shared, and the lookup settles within a second.
exec java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main RingLookupBenchmark \
  -f 1 -wi 2 -w 2s -i 3 -r 2s "$@"
