#!/usr/bin/env bash
# The placement driver on real processes: a local three-node cluster of G groups (default 64) grows to four and five
# nodes (`raftring node` with names not in the initial list); after each, waits until every group is on its
# preference list (GET /v1/cluster/placement: groups_off_target 0, nothing moving), prints how long that took and
# the driver's view (steps done, leaders per node), and again 30 s later once leaders are balanced.
#   bench/placement-bench.sh [G]
# Needs a built tree and ports 2551-2555, 8080-8084 free.
set -euo pipefail
cd "$(dirname "$0")/.."
G=${1:-64}
DATA=$(mktemp -d /tmp/raftring-placement.XXXXXX)
export RAFTRING_SKIP_BUILD=1
PIDS=()
./raftring local --groups "$G" --data "$DATA/data" >"$DATA/local.log" 2>&1 &
PIDS+=($!)
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do grep -q "cluster ready" "$DATA/local.log" && break; sleep 2; done
grep -q "cluster ready" "$DATA/local.log" || { echo "the local cluster did not become ready" >&2; exit 1; }
placement() { curl -s http://127.0.0.1:8080/v1/cluster/placement; echo; }
settled() {
  for _ in $(seq 1 600); do
    local p
    p=$(curl -s http://127.0.0.1:8080/v1/cluster/placement || true)
    if grep -q "\"placement_nodes\":\[$1\]" <<<"$p" && grep -q '"groups_off_target":0,"moving":{}' <<<"$p"; then
      echo "$p"; return 0
    fi
    sleep 1
  done
  echo "not settled after 600 s: $p"; return 1
}
echo "3 nodes:"; placement
nodes='"n1","n2","n3"'
for i in 4 5; do
  start=$(date +%s)
  ./raftring node --config conf/local.conf --config "$DATA/data/n1.conf" --name "n$i" --port $((2550 + i)) \
    --http-port $((8079 + i)) --data "$DATA/data/n$i" >"$DATA/n$i.log" 2>&1 &
  PIDS+=($!)
  nodes="$nodes,\"n$i\""
  settled "$nodes"
  echo "$((i - 1)) -> $i nodes: every group in place $(( $(date +%s) - start )) s after n$i started"
  sleep 30
  echo "30 s later:"; placement
done
