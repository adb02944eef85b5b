#!/usr/bin/env bash
# What many leases kept alive cost: a fresh `./raftring local --groups G`, the nodes' CPU (utime + stime from
# /proc/<pid>/stat) over 30 s idle, then `LeaseLoad` (src/jmh/java/io/raftring/lease/LeaseLoad.java) granting L leases
# of TTL T s through all three nodes and keeping each alive every T/3, and the nodes' CPU over 30 s of that steady
# state (from 20 s after the last grant). Prints each node's CPU in cores, idle and under load, marking the
# node that leads the lease groups (with G = 1, the one leader). MODE single sends one request per keep-alive (many
# clients of one lease each); batch one request per node every 100 ms naming the leases due (one client holding
# them all, POST /v1/leases/keepalive).
#   bench/lease-bench.sh [L] [T] [G] [MODE]     # default 10000 leases, 30 s, 1 group, single
# Needs a built tree (mvn -o -q -DskipTests test-compile) and free ports: Artery from $ARTERY_BASE (2551) and HTTP
# from $HTTP_BASE (8080), three of each.
set -euo pipefail
cd "$(dirname "$0")/.."
L=${1:-10000}
T=${2:-30}
G=${3:-1}
MODE=${4:-single}
. bench/local-cluster.sh
require_free_ports
start_local_cluster lease-bench --groups "$G" --artery-base-port "$ARTERY_BASE" --http-base-port "$HTTP_BASE"
EP=http://127.0.0.1:$HTTP_BASE,http://127.0.0.1:$((HTTP_BASE + 1)),http://127.0.0.1:$((HTTP_BASE + 2))
LOAD_CP="target/test-classes:$CP"
HZ=$(getconf CLK_TCK)
pid_of() { pgrep -f "io.raftring.cli.RaftRingMain node .*$DATA/data/$1.conf" | head -1; }
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_over() {  # prints "n1=<cores> n2=... n3=..." over $1 seconds
  local secs=$1 before after out=""
  declare -A before
  for n in n1 n2 n3; do before[$n]=$(ticks_of "$(pid_of $n)"); done
  sleep "$secs"
  for n in n1 n2 n3; do
    after=$(ticks_of "$(pid_of $n)")
    out="$out $n=$(awk -v a="$after" -v b="${before[$n]}" -v hz="$HZ" -v s="$secs" 'BEGIN {printf "%.3f", (a - b) / hz / s}')"
  done
  echo "$out"
}
leaders() {
  curl -s "http://127.0.0.1:$HTTP_BASE/v1/cluster" \
    | python3 -c 'import json,sys; print(sorted({g["leader"] for g in json.load(sys.stdin)["groups"]}))'
}
echo "uptime: $(uptime)"
echo "leaders of the groups: $(leaders)"
echo "idle cores:$(cpu_over 30)"
java -XX:+UseSerialGC -Xmx1g -cp "$LOAD_CP" io.raftring.lease.LeaseLoad "$EP" "$L" "$T" 60 "$MODE" >"$DATA/load.out" 2>&1 &
LOAD=$!
# Measure the steady state: once every lease is granted, after 20 s of keep-alives.
until grep -q granted "$DATA/load.out"; do sleep 1; done
cat "$DATA/load.out"
sleep 20
echo "uptime: $(uptime)"
echo "leaders of the groups: $(leaders)"
echo "cores with the leases kept alive every $((T / 3)) s:$(cpu_over 30)"
wait "$LOAD"
tail -1 "$DATA/load.out"
