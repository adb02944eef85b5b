# Sourced by the bench scripts that measure a fresh `./raftring local` cluster: start_local_cluster NAME [ARGS...]
# starts it with ARGS (e.g. --groups 16) in a temporary directory, waits until it is ready, and stops it and removes
# the directory when the script exits. It sets DATA (that directory), CP (the load tool's classpath) and EP (the
# three HTTP endpoints). Node JVM options come from RAFTRING_NODE_JAVA_OPTS, as for `./raftring local`.

start_local_cluster() {
  local name=$1
  shift
  DATA=$(mktemp -d "/tmp/raftring-$name.XXXXXX")
  RAFTRING_SKIP_BUILD=1 ./raftring local "$@" --data "$DATA/data" >"$DATA/local.log" 2>&1 &
  LOCAL_CLUSTER_PID=$!
  # KEEP_DATA=1 keeps the directory (the nodes' logs are in local.log) for a look after the run.
  trap 'kill "$LOCAL_CLUSTER_PID" 2>/dev/null || true; wait "$LOCAL_CLUSTER_PID" 2>/dev/null || true
    if [ "${KEEP_DATA:-0}" = 1 ]; then echo "kept $DATA" >&2; else rm -rf "$DATA"; fi' EXIT
  for _ in $(seq 1 90); do grep -q "cluster ready" "$DATA/local.log" && break; sleep 2; done
  grep -q "cluster ready" "$DATA/local.log" \
    || { echo "the local cluster did not become ready; see $DATA/local.log" >&2; exit 1; }
  CP="target/classes:$(cat target/classpath.txt)"
  EP=http://127.0.0.1:8080,http://127.0.0.1:8081,http://127.0.0.1:8082
}

# require_free_ports: sets ARTERY_BASE (default 2551) and HTTP_BASE (default 8080) and exits unless the three ports
# from each are free, for start_local_cluster's --artery-base-port and --http-base-port.
require_free_ports() {
  ARTERY_BASE=${ARTERY_BASE:-2551}
  HTTP_BASE=${HTTP_BASE:-8080}
  for port in $ARTERY_BASE $((ARTERY_BASE + 1)) $((ARTERY_BASE + 2)) $HTTP_BASE $((HTTP_BASE + 1)) $((HTTP_BASE + 2)); do
    if ss -ltn | grep -q ":$port "; then echo "port $port is in use: set ARTERY_BASE / HTTP_BASE" >&2; exit 1; fi
  done
}
