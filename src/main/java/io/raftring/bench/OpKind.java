package io.raftring.bench;

/**
 * One operation the load tool sends: a put, a read, a compare-and-set (read the revision, then put on it), or a
 * transfer (one transaction writing two keys: the debit and the credit).
 */
public enum OpKind {
  PUT,
  GET,
  CAS,
  TXN_TRANSFER
}
