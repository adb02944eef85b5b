package io.raftring.api;

import io.raftring.kv.KvErrorCode;

/**
 * The stable error codes of RaftRing's API. The HTTP layer maps each to one status in one place; the Java API
 * carries them in {@link RaftRingException}.
 */
public enum ErrorCode {
  /** The request is malformed: bad key, bad revision, unknown consistency level. Nothing changed. (400) */
  BAD_REQUEST,
  /** The key does not exist. (404) */
  NOT_FOUND,
  /** A compare-and-set condition did not hold. Nothing changed. (409) */
  CONFLICT,
  /** A key or value over its size limit. Nothing changed. (413) */
  TOO_LARGE,
  /** The HTTP request carried no valid bearer token where the route needs one. Nothing changed. (401) */
  UNAUTHENTICATED,
  /** The caller's role does not allow the request, or its Origin is not allowed. Nothing changed. (403) */
  FORBIDDEN,
  /** No leader could be reached, or the leader could not reach a majority, within the deadline. (503) */
  NO_QUORUM,
  /** This node has not joined a cluster yet, or knows no leader for the group. (503) */
  NOT_READY,
  /** Too much work queued; retry later. Nothing changed. (503, with Retry-After) */
  OVERLOADED,
  /** Over the caller's rate limit. Nothing changed. (429, with Retry-After) */
  RATE_LIMITED,
  /** The deadline passed with the outcome unknown: a write may or may not have been applied. (504) */
  TIMEOUT,
  /**
   * A watch position older than the history kept for catching up: read the keys again, then watch from the read's
   * position. (410)
   */
  COMPACTED,
  /** A bug or an unexpected failure. (500) */
  INTERNAL;

  /** The API code of the KV layer's refusal (they share names). */
  public static ErrorCode of(KvErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> BAD_REQUEST;
      case TOO_LARGE -> TOO_LARGE;
      case CONFLICT -> CONFLICT;
      case NOT_FOUND -> NOT_FOUND;
    };
  }
}
