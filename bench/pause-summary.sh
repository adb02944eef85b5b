#!/usr/bin/env bash
# Summarizes the stop-the-world pauses of JVMs started with -Xlog:safepoint:file=<log>:uptime (every collector and
# every other safepoint logs there alike): per log, how many, their mean, p99 and longest, how many were longer than
# the election timeout's lower bound (150 ms by default), and the share of the time the JVM stood still.
#   bench/pause-summary.sh [--over MS] LOG...
# e.g. RAFTRING_NODE_JAVA_OPTS="-Xms256m -Xmx1g -Xlog:safepoint:file=/tmp/sp-%p.log:uptime" bench/watch-bench.sh
# then bench/pause-summary.sh /tmp/sp-*.log
set -euo pipefail
over=150
if [ "${1:-}" = "--over" ]; then over=$2; shift 2; fi
for log in "$@"; do
  sed -n 's/^\[\([0-9.]*\)s\].*Total: \([0-9]*\) ns$/\1 \2/p' "$log" | sort -k2,2n | awk -v over="$over" -v name="$log" '
    { up[NR] = $1; ms[NR] = $2 / 1e6; sum += ms[NR]; if ($1 > last) last = $1; if (ms[NR] > over) n_over++ }
    END {
      if (NR == 0) { printf "%s: no pauses\n", name; exit }
      rank = int(NR * 0.99); if (rank < NR * 0.99) rank++
      p99 = ms[rank]
      printf "%s: %d pauses, mean %.1f ms, p99 %.1f ms, max %.1f ms, %d over %d ms, %.1f%% of %.0f s stopped\n",
        name, NR, sum / NR, p99, ms[NR], n_over, over, 100 * sum / 1000 / last, last
    }'
done
