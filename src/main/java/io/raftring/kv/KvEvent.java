package io.raftring.kv;

import java.util.Objects;

/**
 * One change of one key, made by a committed entry applied by {@link KvStateMachine}: what watches stream. Every
 * replica of a group applies the same entries in the same order, so the same revision names the same event on each.
 *
 * @param type     put or delete
 * @param key      the key
 * @param keyValue the key after a put; null after a delete
 * @param revision the store revision of the change (a put's mod_revision; the revision at which a delete happened)
 * @param lease    the lease a put attached the key to ({@link KvCommand#NO_LEASE} for none; always none for a delete)
 */
public record KvEvent(Type type, String key, KeyValue keyValue, long revision, long lease) {

  public enum Type { PUT, DELETE }

  public KvEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    if ((type == Type.PUT) != (keyValue != null)) {
      throw new IllegalArgumentException("a put carries its key-value, a delete none");
    }
  }

  public static KvEvent put(KeyValue keyValue, long lease) {
    return new KvEvent(Type.PUT, keyValue.key(), keyValue, keyValue.modRevision(), lease);
  }

  public static KvEvent delete(String key, long revision) {
    return new KvEvent(Type.DELETE, key, null, revision, KvCommand.NO_LEASE);
  }

  /** Roughly what the event holds in memory, for bounding buffers of events. */
  public long sizeBytes() {
    return 64 + 2L * key.length() + (keyValue == null ? 0 : keyValue.valueLength() + 2L * key.length());
  }
}
