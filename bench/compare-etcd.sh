#!/usr/bin/env bash
# Runs the same workloads against a three-member etcd 3.4 cluster and a three-node RaftRing, both on loopback, and
# prints a side-by-side table with ratios (RaftRing / etcd). Everything it starts, it stops (trap EXIT).
#
#   bench/compare-etcd.sh                      # both systems, 15 s per workload
#   SYSTEMS=etcd bench/compare-etcd.sh         # etcd only (e.g. before RaftRing's HTTP server is on this branch)
#   DURATION=30s WARMUP=5s bench/compare-etcd.sh
#
# Settings (environment):
#   SYSTEMS      which systems, in order (default "raftring etcd")
#   DURATION     measurement per workload (default 15s);  WARMUP  warm-up per workload (default 30s)
#   PRIME        put load at 64 clients on a fresh RaftRing cluster before its first workload, not measured (default
#                150s: on 2 cores the three JVMs' C2 compilers take 25-35% of the nodes' CPU for about two minutes
#                of load, and under 2% after; a shorter warm-up measures the JIT, see docs/figures.md)
#   KEYS         keys (default 10000);  VALUE_SIZE  bytes per value (default 256)
#   WORKLOADS    subset of: put-1 put-16 put-64 get-linearizable-64 get-lease-64 get-stale-64 (default: these), and
#                txn-same-N / txn-cross-N (N clients; not in the default): each operation one transaction putting two
#                keys, in one group (a hash tag) or in two (two-phase commit); etcd runs both as the same Txn;
#                get-lease runs RaftRing's lease reads against etcd's linearizable reads (etcd has no lease read)
#   OUT          where results go (default target/bench/compare-<timestamp>): <system>-<workload>.json/.png, logs
#   RAFTRING     the launcher (default ./raftring); it must accept `local --data <dir>`, serve HTTP on 8080-8082 and
#                print a line containing "ready" when up
#   RAFTRING_GROUPS  Raft groups of the RaftRing cluster (default: conf/local.conf's, 16)
#   JAVA_OPTS    JVM options of the load tool (default -XX:+UseSerialGC -Xmx512m)
#   KEEP_DATA=1  keep the temporary data directories
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEMS=${SYSTEMS:-"raftring etcd"}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
PRIME=${PRIME:-150s}
KEYS=${KEYS:-10000}
VALUE_SIZE=${VALUE_SIZE:-256}
WORKLOADS=${WORKLOADS:-"put-1 put-16 put-64 get-linearizable-64 get-lease-64 get-stale-64"}
OUT=${OUT:-target/bench/compare-$(date +%Y%m%d-%H%M%S)}
RAFTRING=${RAFTRING:-./raftring}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xmx512m"}

ETCD_CLIENT_PORTS=(2379 22379 32379)
ETCD_PEER_PORTS=(2380 22380 32380)
RAFTRING_PORTS=(8080 8081 8082)

mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/raftring-compare.XXXXXX)
STARTED_PIDS=()

# Stops, by pid, the processes this script started: TERM, up to 10 s to exit, then KILL.
stop_started() {
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}

stop_all() {
  local status=$?
  stop_started
  if [[ "${KEEP_DATA:-0}" != 1 ]]; then
    rm -rf "$WORK"
  else
    echo "data kept in $WORK" >&2
  fi
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_ports() {
  for port in "$@"; do
    if port_in_use "$port"; then
      echo "port $port on 127.0.0.1 is already in use; stop what listens there first (this script stops only what it starts)" >&2
      exit 1
    fi
  done
}

if ! command -v jq >/dev/null 2>&1; then
  apt-get install -y -qq jq >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
fi

# The load tool: compiled classes plus the dependency classpath Maven writes.
if [[ ! -f target/classpath.txt || ! -f target/classes/io/raftring/bench/BenchCommand.class ]] \
    || [[ -n "$(find src/main/java/io/raftring/bench -name '*.java' -newer target/classes/io/raftring/bench/BenchCommand.class)" ]]; then
  mvn -o -q -DskipTests test-compile
fi
BENCH_CP="target/classes:$(cat target/classpath.txt)"

bench() {
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$BENCH_CP" io.raftring.bench.BenchCommand "$@"
}

start_etcd() {
  if ! command -v etcd >/dev/null 2>&1; then
    echo "installing etcd-server (apt-get)" >&2
    apt-get install -y -qq etcd-server >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null; }
  fi
  # The Debian package may start a system etcd on 2379; refuse rather than measure someone else's.
  require_free_ports "${ETCD_CLIENT_PORTS[@]}" "${ETCD_PEER_PORTS[@]}"
  local cluster="e1=http://127.0.0.1:2380,e2=http://127.0.0.1:22380,e3=http://127.0.0.1:32380"
  for i in 0 1 2; do
    local name="e$((i + 1))"
    etcd --name "$name" --data-dir "$WORK/etcd-$name" \
      --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORTS[$i]}" \
      --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORTS[$i]}" \
      --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORTS[$i]}" \
      --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORTS[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-token "raftring-compare-$$" --initial-cluster-state new \
      --logger zap --log-outputs stderr --log-level warn \
      >"$OUT/etcd-$name.log" 2>&1 &
    STARTED_PIDS+=($!)
  done
  for port in "${ETCD_CLIENT_PORTS[@]}"; do
    local healthy=""
    for _ in $(seq 1 150); do
      if curl -sf -m 1 "http://127.0.0.1:$port/health" | grep -q '"health":"true"'; then
        healthy=yes
        break
      fi
      sleep 0.2
    done
    [[ -n "$healthy" ]] || { echo "etcd on $port did not become healthy in 30 s; see $OUT/etcd-*.log" >&2; exit 1; }
  done
  echo "etcd $(etcd --version | head -1 | awk '{print $3}'): three members up on 2379, 22379, 32379" >&2
}

start_raftring() {
  if [[ ! -x "$RAFTRING" ]]; then
    echo "no RaftRing launcher at $RAFTRING; skipping RaftRing (set RAFTRING=... or SYSTEMS=etcd)" >&2
    return 1
  fi
  require_free_ports "${RAFTRING_PORTS[@]}"
  local group_args=()
  [[ -n "${RAFTRING_GROUPS:-}" ]] && group_args=(--groups "$RAFTRING_GROUPS")
  "$RAFTRING" local --data "$WORK/raftring" "${group_args[@]}" >"$OUT/raftring.log" 2>&1 &
  STARTED_PIDS+=($!)
  local pid=$!
  for _ in $(seq 1 450); do
    # "... ready" from the launcher (not its "waiting for them to be ready"), or every node's /health/ready = 200.
    if grep -i "ready" "$OUT/raftring.log" | grep -qvi "waiting"; then
      echo "RaftRing: three nodes up on 8080, 8081, 8082" >&2
      return 0
    fi
    local up=0
    for port in "${RAFTRING_PORTS[@]}"; do
      [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://127.0.0.1:$port/health/ready")" == 200 ]] && up=$((up + 1))
    done
    if [[ "$up" == "${#RAFTRING_PORTS[@]}" ]]; then
      echo "RaftRing: /health/ready on 8080, 8081, 8082" >&2
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "RaftRing exited; see $OUT/raftring.log" >&2; return 1; }
    sleep 0.2
  done
  echo "RaftRing did not print 'ready' in 90 s; see $OUT/raftring.log" >&2
  return 1
}

run_workloads() {
  local system=$1 endpoints=$2 stale=$3 lease=$4
  local preloaded=""
  for workload in $WORKLOADS; do
    local args=(--target "$system" --endpoints "$endpoints" --keys "$KEYS" --value-size "$VALUE_SIZE"
      --duration "$DURATION" --warmup "$WARMUP" --out "$OUT/$system-$workload")
    case "$workload" in
      put-*) args+=(--workload put --clients "${workload#put-}") ;;
      get-linearizable-*) args+=(--workload get --consistency linearizable --clients "${workload##*-}") ;;
      get-lease-*) args+=(--workload get --consistency "$lease" --clients "${workload##*-}") ;;
      get-stale-*) args+=(--workload get --consistency "$stale" --clients "${workload##*-}") ;;
      txn-same-*) args+=(--workload txn-transfer --txn-keys same-group --clients "${workload##*-}") ;;
      txn-cross-*) args+=(--workload txn-transfer --txn-keys cross-group --clients "${workload##*-}") ;;
      *) echo "unknown workload $workload" >&2; exit 2 ;;
    esac
    if [[ "$workload" == get-* && -z "$preloaded" ]]; then
      args+=(--preload)
      preloaded=yes
    fi
    echo "== $system $workload" >&2
    bench "${args[@]}" >"$OUT/$system-$workload.txt" 2>"$OUT/$system-$workload.progress" \
      || echo "   (exit $?: see $OUT/$system-$workload.txt)" >&2
    grep -E '^(throughput|latency|error)' "$OUT/$system-$workload.txt" | sed 's/^/   /' >&2 || true
  done
}

for system in $SYSTEMS; do
  case "$system" in
    etcd)
      start_etcd
      run_workloads etcd "http://127.0.0.1:2379,http://127.0.0.1:22379,http://127.0.0.1:32379" serializable linearizable
      stop_started
      ;;
    raftring)
      if start_raftring; then
        if [[ "$PRIME" != 0 && "$PRIME" != 0s ]]; then
          echo "== raftring: $PRIME of put load at 64 clients first, so its JVMs have compiled their code" >&2
          bench --target raftring --endpoints "http://127.0.0.1:8080,http://127.0.0.1:8081,http://127.0.0.1:8082" \
            --keys "$KEYS" --value-size "$VALUE_SIZE" --workload put --clients 64 --duration "$PRIME" --warmup 1s \
            >"$OUT/raftring-prime.txt" 2>/dev/null || echo "   (priming failed: see $OUT/raftring-prime.txt)" >&2
        fi
        run_workloads raftring "http://127.0.0.1:8080,http://127.0.0.1:8081,http://127.0.0.1:8082" stale lease
      fi
      stop_started
      ;;
    *) echo "unknown system $system (raftring or etcd)" >&2; exit 2 ;;
  esac
done

# The table: one row per workload; a "-" where a system did not run.
field() {
  local file="$OUT/$1-$2.json" path=$3
  if [[ -f "$file" ]]; then jq -r "$path" "$file"; else echo "-"; fi
}
num() {
  if [[ "$1" == "-" || "$1" == "null" ]]; then echo "-"; else printf "%.${2}f" "$1"; fi
}
ratio() {
  if [[ "$1" == "-" || "$2" == "-" ]]; then echo "-"; else awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; fi
}
{
  printf "%-22s | %10s %8s %8s %6s | %10s %8s %8s %6s | %8s %8s\n" "workload" \
    "rr ops/s" "p50 ms" "p99 ms" "errs" "etcd ops/s" "p50 ms" "p99 ms" "errs" "ops x" "p99 x"
  printf '%.0s-' {1..124}; echo
  for workload in $WORKLOADS; do
    r_ops=$(num "$(field raftring "$workload" .throughputOpsPerSec)" 0); e_ops=$(num "$(field etcd "$workload" .throughputOpsPerSec)" 0)
    r_p50=$(num "$(field raftring "$workload" .latencyMs.p50)" 2); e_p50=$(num "$(field etcd "$workload" .latencyMs.p50)" 2)
    r_p99=$(num "$(field raftring "$workload" .latencyMs.p99)" 2); e_p99=$(num "$(field etcd "$workload" .latencyMs.p99)" 2)
    r_err=$(field raftring "$workload" .operations.errors); e_err=$(field etcd "$workload" .operations.errors)
    printf "%-22s | %10s %8s %8s %6s | %10s %8s %8s %6s | %8s %8s\n" "$workload" \
      "$r_ops" "$r_p50" "$r_p99" "$r_err" "$e_ops" "$e_p50" "$e_p99" "$e_err" "$(ratio "$r_ops" "$e_ops")" "$(ratio "$r_p99" "$e_p99")"
  done
  echo
  echo "ops x = RaftRing throughput / etcd throughput (higher is better for RaftRing); p99 x = RaftRing p99 / etcd p99"
  echo "(lower is better). Stale reads are RaftRing consistency=stale vs etcd serializable; lease reads are RaftRing"
  echo "consistency=lease vs etcd linearizable. $DURATION per workload"
  echo "after $WARMUP warm-up, $KEYS keys, $VALUE_SIZE-byte values, closed loop; results and charts in $OUT."
} | tee "$OUT/table.txt"
