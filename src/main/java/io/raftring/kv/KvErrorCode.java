package io.raftring.kv;

/**
 * Why the KV layer refused a request. The names are the project's stable error codes, so the HTTP layer maps them to
 * statuses in one place: BAD_REQUEST to 400, TOO_LARGE to 413, NOT_FOUND to 404.
 */
public enum KvErrorCode {
  /** The request is malformed: empty key, malformed UTF-8, negative revision, bad page token, undecodable bytes. */
  BAD_REQUEST,
  /** A key or value is longer than the configured {@link KvLimits}. */
  TOO_LARGE,
  /** A put names a lease that was revoked or has expired (etcd: "requested lease not found"). */
  NOT_FOUND
}
