#!/usr/bin/env bash
# Times one Byzantine agreement run at the largest sizes raftring.bft admits
# (src/jmh/java/io/raftring/bft/BftRunBenchmark.java). Compiles first when the compiled benchmark is missing or older
# than any bft source. Extra arguments go to JMH, e.g.  bench/bft-bench.sh -p run=om:20:3
set -euo pipefail
cd "$(dirname "$0")/.."

benchmark_list=target/test-classes/META-INF/BenchmarkList
if [[ ! -f target/classpath.txt || ! -f "$benchmark_list" ]] \
    || ! grep -q BftRunBenchmark "$benchmark_list" \
    || [[ -n "$(find src/main/java/io/raftring/bft src/jmh/java/io/raftring/bft -name '*.java' -newer "$benchmark_list")" ]]; then
  mvn -o -q -DskipTests test-compile
fi

# A run takes about a second: a few of them warm the JIT, a few more are the measurement.
exec java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main BftRunBenchmark \
  -f 1 -wi 3 -w 1s -i 5 -r 1s "$@"
