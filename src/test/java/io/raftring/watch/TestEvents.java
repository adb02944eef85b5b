package io.raftring.watch;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvEvent;
import java.nio.charset.StandardCharsets;

/** Events for the watch tests: a put of {@code key} (its name as its value) at {@code revision}. */
final class TestEvents {

  private TestEvents() {}

  static KvEvent put(String key, long revision) {
    return KvEvent.put(new KeyValue(key, key.getBytes(StandardCharsets.UTF_8), revision, revision, 1), 0);
  }
}
