package io.raftring.txn;

import java.util.Optional;

/** Where a transaction's keys live: the ring's answer, given by the node (the ring sits above this layer). */
public interface KeyRouting {

  /** The group holding {@code key}. */
  String groupOf(String key);

  /** The one group holding every key that starts with {@code prefix}, if there is one (a hash tag, or one group). */
  Optional<String> groupOfPrefix(String prefix);
}
