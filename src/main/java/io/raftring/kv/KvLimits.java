package io.raftring.kv;

import java.nio.charset.CharacterCodingException;
import java.util.Objects;

/**
 * Size limits on keys and values, checked on the proposing node before a command enters the log. The state machine
 * does not check them: limits are configuration and may differ between nodes or change, while apply must give the
 * same answer everywhere.
 *
 * <p>Every check throws {@link KvValidationException}: {@link KvErrorCode#BAD_REQUEST} for malformed input (empty key,
 * malformed UTF-8), {@link KvErrorCode#TOO_LARGE} for a key or value over its limit.
 *
 * @param maxKeyBytes   the longest key, in UTF-8 bytes (default 1 KiB)
 * @param maxValueBytes the longest value, in bytes (default 1 MiB)
 */
public record KvLimits(int maxKeyBytes, int maxValueBytes) {

  public static final int DEFAULT_MAX_KEY_BYTES = 1024;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
  public static final KvLimits DEFAULT = new KvLimits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);

  public KvLimits {
    if (maxKeyBytes < 1 || maxValueBytes < 0) {
      throw new IllegalArgumentException(
          "limits must be maxKeyBytes >= 1 and maxValueBytes >= 0, were " + maxKeyBytes + " and " + maxValueBytes);
    }
  }

  /** Returns {@code key} if it is a valid key within the limit. */
  public String validateKey(String key) {
    KeyChecks.requireKey(key, "key");
    requireKeySize(StrictUtf8.encodedLength(key), "key");
    return key;
  }

  /** Decodes a key received as raw bytes (e.g. a URL path segment) and validates it. */
  public String validateKey(byte[] utf8Key) {
    Objects.requireNonNull(utf8Key, "key");
    if (utf8Key.length == 0) {
      throw KvValidationException.badRequest("key must not be empty");
    }
    requireKeySize(utf8Key.length, "key");
    try {
      return StrictUtf8.decode(utf8Key, 0, utf8Key.length);
    } catch (CharacterCodingException e) {
      throw KvValidationException.badRequest("key is not valid UTF-8");
    }
  }

  /** Returns {@code value} if it is within the limit. */
  public byte[] validateValue(byte[] value) {
    Objects.requireNonNull(value, "value");
    if (value.length > maxValueBytes) {
      throw KvValidationException.tooLarge(
          "value is " + value.length + " bytes, the limit is " + maxValueBytes + " bytes");
    }
    return value;
  }

  /** Checks a whole command: its key, its value and the value its condition compares with. */
  public KvCommand validate(KvCommand command) {
    validateKey(command.key());
    if (command instanceof KvCommand.Put put) {
      validateValue(put.valueUnsafe());
    }
    if (command.condition() instanceof KvCondition.ValueEquals expected) {
      validateValue(expected.valueUnsafe());
    }
    return command;
  }

  /** Checks a query's key, bounds and page token: one longer than any key could be is refused like such a key. */
  public KvQuery validate(KvQuery query) {
    if (query instanceof KvQuery.Get get) {
      validateKey(get.key());
    } else if (query instanceof KvQuery.Prefix prefix) {
      requireKeySize(StrictUtf8.encodedLength(prefix.prefix()), "prefix");
    } else if (query instanceof KvQuery.Between between) {
      requireKeySize(StrictUtf8.encodedLength(between.fromKey()), "fromKey");
      requireKeySize(StrictUtf8.encodedLength(between.toKey()), "toKey");
    }
    if (query instanceof KvQuery.Range range && range.pageToken().isPresent()) {
      requireKeySize(StrictUtf8.encodedLength(KvPageToken.decode(range.pageToken().get())), "page token key");
    }
    if (query instanceof KvQuery.Export export && export.pageToken().isPresent()) {
      requireKeySize(StrictUtf8.encodedLength(KvPageToken.decode(export.pageToken().get())), "page token key");
    }
    return query;
  }

  private void requireKeySize(int utf8Bytes, String what) {
    if (utf8Bytes > maxKeyBytes) {
      throw KvValidationException.tooLarge(
          what + " is " + utf8Bytes + " bytes of UTF-8, the limit is " + maxKeyBytes + " bytes");
    }
  }
}
