package io.raftring.kv;

/**
 * Why the KV layer refused a request. The names are the project's stable error codes, so the HTTP layer maps them to
 * statuses in one place: BAD_REQUEST to 400, NOT_FOUND to 404, CONFLICT to 409, TOO_LARGE to 413.
 */
public enum KvErrorCode {
  /** The request is malformed: empty key, malformed UTF-8, negative revision, bad page token, undecodable bytes. */
  BAD_REQUEST,
  /** A key or value is longer than the configured {@link KvLimits}. */
  TOO_LARGE,
  /** The state does not allow it: a restore into a group that holds other data. */
  CONFLICT,
  /**
   * What the request names is not here: an export this replica no longer holds, or a lease that was revoked or has
   * expired (etcd: "requested lease not found").
   */
  NOT_FOUND
}
