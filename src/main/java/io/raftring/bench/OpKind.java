package io.raftring.bench;

/** One operation the load tool sends: a put, a read, or a compare-and-set (read the revision, then put on it). */
public enum OpKind {
  PUT,
  GET,
  CAS
}
