#!/usr/bin/env bash
# Synced journal writes/s with 1, 8 and 64 concurrent writers (JournalWriteBenchmark); the 64/1 ratio shows group
# commit. Extra arguments go to JMH (e.g. -wi 1 -i 2 for a quicker look). BENCH_DIR picks the disk (default: /tmp);
# the figures are only meaningful on the disk the nodes will use, since they measure its fsync.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=target/test-classes/META-INF/BenchmarkList
if [[ ! -f target/classpath.txt || ! -f "$benchmarks" ]] \
    || [[ -n "$(find src/main src/jmh src/test -newer "$benchmarks" -type f -print -quit)" ]]; then
  mvn -o -q -DskipTests test-compile
fi
mkdir -p target/jmh
exec java -Dbench.dir="${BENCH_DIR:-${TMPDIR:-/tmp}}" \
  -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
  org.openjdk.jmh.Main JournalWriteBenchmark \
  -f 1 -wi 2 -w 5s -i 3 -r 5s \
  -rf json -rff target/jmh/journal-bench.json \
  "$@"
