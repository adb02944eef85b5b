#!/usr/bin/env bash
# Where a local cluster's CPU goes under put load: `./raftring local --groups G`, WARMUP (default 150s: the C2
# compilers settle after about two minutes of load on 2 cores) of `raftring bench --workload put` at 64 clients, then for each client count C a 20 s put run during which `vmstat 2` samples the
# machine (user/system/idle, context switches) and each node thread's CPU ticks (utime + stime from
# /proc/<pid>/task/*/stat) are summed by thread-name prefix over 10 s. Divide a thread group's CPU by the puts done
# in those 10 s for CPU per put. C = 0 measures the cluster idle. At the end, how many Raft messages per remote
# message the per-node batching achieved, and per applied put of the whole run the Raft messages, journal writes and
# fsyncs.
#   bench/cpu-per-thread.sh [G] [C ...]      # default G=16, C=16 64
#   bench/cpu-per-thread.sh 16 0             # idle cost of 16 groups
#   RAFTRING_NODE_JAVA_OPTS="-Xms256m -Xmx1g -XX:+UseG1GC -Draftring.cluster.batch-peer-messages=off" \
#     bench/cpu-per-thread.sh 16 64 64 64    # three put runs after the warm-up, batching off
# Needs a built tree (target/classes, target/classpath.txt), vmstat, and ports 2551-2553 and 8080-8082 free; the
# node JVM options come from RAFTRING_NODE_JAVA_OPTS as for `./raftring local`.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-16}
WARMUP=${WARMUP:-150s}
shift || true
[ $# -gt 0 ] && CLIENTS=("$@") || CLIENTS=(16 64)
. bench/local-cluster.sh
start_local_cluster cpu-bench --groups "$G"
bench() {
  java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.raftring.bench.BenchCommand --endpoints "$EP" --workload put \
    --clients "$1" --duration "$2" --warmup 1s 2>/dev/null
}
bench 64 "$WARMUP" >/dev/null
PIDS=$(pgrep -f "io.raftring.cli.RaftRingMain node --config .*$DATA" || true)
# One line per node thread: id, CPU ticks so far, name with its trailing number dropped.
ticks() {
  for p in $PIDS; do
    for t in /proc/"$p"/task/*; do
      stat=$(cat "$t/stat" 2>/dev/null) || continue
      name=$(tr ' ' '_' <"$t/comm" 2>/dev/null) || continue
      echo "$(basename "$t") $(echo "${stat##*) }" | awk '{print $12 + $13}') $(echo "$name" | sed -E 's/[-#]?[0-9]+$//')"
    done
  done | sort
}
for c in "${CLIENTS[@]}"; do
  vmstat 2 10 >"$DATA/vmstat" &
  VM=$!
  (sleep 4; ticks >"$DATA/t0"; sleep 10; ticks >"$DATA/t1") &
  SNAP=$!
  if [ "$c" = 0 ]; then
    sleep 21
    printf 'G=%s idle (no load for 20 s)\n' "$G"
  else
    printf 'G=%s put-%s: %s\n' "$G" "$c" "$(bench "$c" 20s | grep -E '^throughput' | tr -s ' ')"
  fi
  wait "$VM" "$SNAP"
  awk 'NR > 3 {us += $13; sy += $14; id += $15; cs += $12; n++}
       END {printf "  vmstat: us %.0f%% sy %.0f%% idle %.0f%% context switches %.0f/s\n", us/n, sy/n, id/n, cs/n}' \
    "$DATA/vmstat"
  join "$DATA/t0" "$DATA/t1" | awk '{d = $4 - $2; cpu[$3] += d; total += d}
       END {for (k in cpu) if (cpu[k] > 0) printf "  %8.2f s CPU  %s\n", cpu[k] / 100, k;
            printf "  %8.2f s CPU  all node threads over 10 s\n", total / 100}' | sort -rn
done
# Over the whole run: how much the per-node batching of Raft messages (PeerMailer) coalesced, and per applied put the
# Raft messages (counted only in batches: none with batching off), journal writes (one per replica write) and fsyncs.
for port in 8080 8081 8082; do curl -s "http://127.0.0.1:$port/metrics"; done \
  | awk '/^raftring_peer_messages_batched /{m += $2} /^raftring_peer_batches_sent /{b += $2}
         /^raftring_journal_synced_operations_total /{ops += $2} /^raftring_journal_sync_seconds_count /{syncs += $2}
         /^raftring_proposals_total\{outcome="applied"/{puts += $2}
         END {if (b > 0) printf "Raft messages sent in batches: %d in %d batches (%.2f per batch)\n", m, b, m / b;
              if (puts == 0) exit
              printf "Per applied put (%d puts):", puts
              if (b > 0) printf " %.2f Raft messages,", m / puts
              printf " %.2f journal writes, %.2f fsyncs\n", ops / puts, syncs / puts}'
