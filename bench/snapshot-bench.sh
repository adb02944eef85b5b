#!/usr/bin/env bash
# Snapshot and compaction figures (issue 6), see src/jmh/java/io/raftring/raft/SnapshotBench.java:
#   bench/snapshot-bench.sh recovery 100000        # N writes over 1000 keys, data dir size, recovery time
#   bench/snapshot-bench.sh blocking 1000000       # replica thread busy time when snapshotting K keys
# BENCH_DIR picks the disk (default: /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/classpath.txt || ! -f target/test-classes/io/raftring/raft/SnapshotBench.class ]] \
    || [[ -n "$(find src/main src/jmh -newer target/test-classes/io/raftring/raft/SnapshotBench.class -type f -print -quit)" ]]; then
  mvn -o -q -DskipTests test-compile
fi
exec java -Xmx2g -Dbench.dir="${BENCH_DIR:-${TMPDIR:-/tmp}}" \
  -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
  io.raftring.raft.SnapshotBench "$@"
