package io.raftring.lock;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.LeaseIds;

/**
 * Where a lock's or an election's queue lives: {@code <kind>/{NAME}/}, one key per lease after it. The name is the
 * keys' hash tag, so one group holds the whole queue; it may therefore hold no brace.
 */
final class QueueKeys {

  static final String LOCKS = "_locks";
  static final String ELECTIONS = "_elections";

  private QueueKeys() {}

  static String prefix(String kind, String name) {
    if (name == null || name.isEmpty()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, "a lock or election needs a name");
    }
    if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "a lock or election name may not hold '{' or '}' (it is its keys' hash tag), was '" + name + "'");
    }
    return kind + "/{" + name + "}/";
  }

  static String key(String prefix, long lease) {
    return prefix + LeaseIds.format(lease);
  }
}
