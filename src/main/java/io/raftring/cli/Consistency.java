package io.raftring.cli;

/** The read consistency levels of the HTTP API's {@code ?consistency=} parameter. */
enum Consistency {
  linearizable,
  lease,
  stale
}
