# Sourced by the profiling scripts: fetch_async_profiler fetches async-profiler 3.0 (tools.profiler:async-profiler,
# Maven Central) and sets LIB to its native library, unpacked under LIBDIR (a fresh temporary directory the caller
# removes); profile_dir DIR creates DIR and prints its absolute path, which is what the profiler must be told, since
# it writes from the node JVM's working directory.
fetch_async_profiler() {
  mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:3.0 >/dev/null
  LIBDIR=$(mktemp -d /tmp/async-profiler.XXXXXX)
  unzip -q -o "$HOME/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar" \
    linux-x64/libasyncProfiler.so -d "$LIBDIR"
  LIB=$LIBDIR/linux-x64/libasyncProfiler.so
}

profile_dir() {
  mkdir -p "$1"
  (cd "$1" && pwd)
}
