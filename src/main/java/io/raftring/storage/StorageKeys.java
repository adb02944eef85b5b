package io.raftring.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layout of the three column families.
 *
 * <p>Journal and snapshot keys start with the persistenceId as (4-byte length, UTF-8 bytes): the length prefix keeps
 * "a" and "ab" apart (without it "a"'s range would contain "ab"'s keys). Sequence numbers and timestamps follow as
 * big-endian longs, which sort like the numbers themselves because they are never negative, so a persistenceId's events
 * are one contiguous, ordered range and replay is a range iteration.
 */
final class StorageKeys {

  private static final byte HIGHEST_SEQUENCE_NR = 'h';
  private static final byte DELETED_TO = 'd';

  private StorageKeys() {}

  /** Every journal and snapshot key of the persistenceId starts with these bytes. */
  static byte[] persistenceIdPrefix(String persistenceId) {
    byte[] id = persistenceId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length).putInt(id.length).put(id).array();
  }

  /** The persistenceId a journal or snapshot key belongs to. */
  static String persistenceIdOf(byte[] key) {
    int length = ByteBuffer.wrap(key, 0, 4).getInt();
    return new String(key, 4, length, StandardCharsets.UTF_8);
  }

  /** The smallest key greater than every journal and snapshot key of {@code persistenceId}. */
  static byte[] afterPersistenceId(String persistenceId) {
    byte[] prefix = persistenceIdPrefix(persistenceId);
    byte[] after = java.util.Arrays.copyOf(prefix, prefix.length + 17);
    java.util.Arrays.fill(after, prefix.length, after.length, (byte) 0xFF);
    return after;
  }

  static byte[] journalKey(String persistenceId, long sequenceNr) {
    return journalKey(persistenceIdPrefix(persistenceId), sequenceNr);
  }

  static byte[] journalKey(byte[] prefix, long sequenceNr) {
    return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(sequenceNr).array();
  }

  static long sequenceNrOfJournalKey(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
  }

  static byte[] snapshotKey(String persistenceId, long sequenceNr, long timestamp) {
    return snapshotKey(persistenceIdPrefix(persistenceId), sequenceNr, timestamp);
  }

  static byte[] snapshotKey(byte[] prefix, long sequenceNr, long timestamp) {
    return ByteBuffer.allocate(prefix.length + 16).put(prefix).putLong(sequenceNr).putLong(timestamp).array();
  }

  static long sequenceNrOfSnapshotKey(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 16, 8).getLong();
  }

  static long timestampOfSnapshotKey(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
  }

  static byte[] highestSequenceNrKey(String persistenceId) {
    return metadataKey(HIGHEST_SEQUENCE_NR, persistenceId);
  }

  static byte[] deletedToKey(String persistenceId) {
    return metadataKey(DELETED_TO, persistenceId);
  }

  private static byte[] metadataKey(byte kind, String persistenceId) {
    byte[] id = persistenceId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + id.length).put(kind).put(id).array();
  }

  /** Whether the key belongs to the persistenceId whose {@link #persistenceIdPrefix} this is. */
  static boolean hasPrefix(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] encodeLong(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static long decodeLong(byte[] value) {
    return value == null ? 0L : ByteBuffer.wrap(value).getLong();
  }
}
