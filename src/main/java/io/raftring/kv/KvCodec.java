package io.raftring.kv;

import io.raftring.wire.WireReader;
import io.raftring.wire.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The binary form of KV commands (inside Raft log entries), queries and results.
 *
 * <p>Every message is {@code [format byte][tag byte][fields...]}. The format byte lets a later version change the
 * layout while still reading the old one; tags are disjoint across commands (0x01..), queries (0x10..) and results
 * (0x20..), so bytes handed to the wrong decoder fail clearly; a restore chunk ({@link KvRestoreChunk}) is a
 * command with a tag of its own, and {@link #isRestoreChunk} tells a log entry's kind. Tags 0x40..0x7F belong to the
 * transaction layer's messages ({@code io.raftring.txn.TxnCodec}), which share the format byte and travel in the same
 * log. A tag once written to a log keeps its meaning: new messages take new tags. Encoding is deterministic: equal
 * values give equal bytes. Numbers are unsigned varints (never negative, so at most 9 bytes), strings are
 * varint-length-prefixed UTF-8, optionals are a 0/1 byte then the value; {@link io.raftring.wire.WireWriter} writes
 * these primitives.
 *
 * <p>A caller proposing a write: {@code byte[] entry = KvCodec.encode(new KvCommand.Put(key, value))}, then
 * {@code KvResult result = KvCodec.decodeResult(resultBytes)}.
 */
public final class KvCodec {

  /** The only format this version writes and reads. */
  public static final int FORMAT_V1 = 1;

  private static final int PUT = 0x01;
  private static final int DELETE = 0x02;
  private static final int RESTORE = 0x03;
  /**
   * A put that attaches its key to a lease. A put without one keeps tag PUT, so its bytes are what they always were.
   * Tags 0x0A-0x0F, 0x1A-0x1C and 0x2A-0x2F are {@link LeaseCodec}'s.
   */
  private static final int PUT_WITH_LEASE = 0x09;

  private static final int GET = 0x10;
  private static final int RANGE_PREFIX = 0x11;
  private static final int RANGE_BETWEEN = 0x12;
  private static final int EXPORT = 0x13;

  private static final int WRITTEN = 0x20;
  private static final int DELETED = 0x21;
  private static final int CONFLICT = 0x22;
  private static final int FOUND = 0x23;
  private static final int NOT_FOUND = 0x24;
  private static final int RANGE_PAGE = 0x25;
  private static final int REJECTED = 0x26;
  private static final int RESTORED = 0x27;
  private static final int LOCKED = 0x28;

  private static final int CONDITION_ALWAYS = 0;
  private static final int CONDITION_MOD_REVISION = 1;
  private static final int CONDITION_VALUE = 2;

  private KvCodec() {}

  // ---- commands

  public static byte[] encode(KvCommand command) {
    Objects.requireNonNull(command, "command");
    WireWriter out = WireWriter.growing(32 + 3 * command.key().length() + payloadSize(command));
    out.writeByte(FORMAT_V1);
    if (command instanceof KvCommand.Put put) {
      out.writeByte(put.lease() == KvCommand.NO_LEASE ? PUT : PUT_WITH_LEASE);
      writeString(out, put.key());
      out.writeBytes(put.valueUnsafe());
      writeCondition(out, put.condition());
      if (put.lease() != KvCommand.NO_LEASE) {
        out.writeNonNegativeVarLong(put.lease());
      }
    } else if (command instanceof KvCommand.Delete delete) {
      out.writeByte(DELETE);
      writeString(out, delete.key());
      writeCondition(out, delete.condition());
    } else {
      throw new IllegalStateException("unknown command " + command);
    }
    return out.toByteArray();
  }

  public static KvCommand decodeCommand(byte[] bytes) {
    return decode(bytes, "command", in -> {
      int tag = in.readByte();
      // Arguments are evaluated left to right, which is the order the fields were written in.
      return switch (tag) {
        case PUT -> new KvCommand.Put(in.readString("key"), in.readBytes("value"), readCondition(in));
        case PUT_WITH_LEASE -> new KvCommand.Put(
            in.readString("key"), in.readBytes("value"), readCondition(in), readLease(in));
        case DELETE -> new KvCommand.Delete(in.readString("key"), readCondition(in));
        default -> throw unknownTag("command", tag);
      };
    });
  }

  /** A restore chunk as a log entry: a command of its own, since it names no single key and carries no condition. */
  public static byte[] encode(KvRestoreChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    long size = 32;
    for (KeyValue keyValue : chunk.keyValues()) {
      size += keyValue.valueLength() + 3L * keyValue.key().length() + 32;
    }
    WireWriter out = WireWriter.growing((int) Math.min(size, Integer.MAX_VALUE - 64));
    out.writeByte(FORMAT_V1);
    out.writeByte(RESTORE);
    out.writeNonNegativeVarLong(chunk.revision());
    out.writeNonNegativeVarLong(chunk.keyValues().size());
    for (KeyValue keyValue : chunk.keyValues()) {
      writeKeyValue(out, keyValue);
    }
    return out.toByteArray();
  }

  /** Whether a log entry's bytes are a restore chunk (then {@link #decodeRestoreChunk}, else {@link #decodeCommand}). */
  public static boolean isRestoreChunk(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == FORMAT_V1 && bytes[1] == RESTORE;
  }

  public static KvRestoreChunk decodeRestoreChunk(byte[] bytes) {
    return decode(bytes, "restore chunk", in -> {
      int tag = in.readByte();
      if (tag != RESTORE) {
        throw unknownTag("restore chunk", tag);
      }
      long revision = in.readNonNegativeVarLong();
      int count = in.readLength("key-value count");
      List<KeyValue> keyValues = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        keyValues.add(readKeyValue(in));
      }
      return new KvRestoreChunk(revision, keyValues);
    });
  }

  private static long readLease(WireReader in) {
    long lease = in.readNonNegativeVarLong();
    if (lease == KvCommand.NO_LEASE) {
      throw new KvCodecException("a put with a lease names lease 0");
    }
    return lease;
  }

  private static void writeCondition(WireWriter out, KvCondition condition) {
    if (condition instanceof KvCondition.Always) {
      out.writeByte(CONDITION_ALWAYS);
    } else if (condition instanceof KvCondition.ModRevisionEquals modRevision) {
      out.writeByte(CONDITION_MOD_REVISION);
      out.writeNonNegativeVarLong(modRevision.modRevision());
    } else if (condition instanceof KvCondition.ValueEquals value) {
      out.writeByte(CONDITION_VALUE);
      out.writeBytes(value.valueUnsafe());
    } else {
      throw new IllegalStateException("unknown condition " + condition);
    }
  }

  private static KvCondition readCondition(WireReader in) {
    int kind = in.readByte();
    return switch (kind) {
      case CONDITION_ALWAYS -> KvCondition.always();
      case CONDITION_MOD_REVISION -> KvCondition.modRevisionEquals(in.readNonNegativeVarLong());
      case CONDITION_VALUE -> KvCondition.valueEquals(in.readBytes("expected value"));
      default -> throw new KvCodecException("unknown condition kind " + kind);
    };
  }

  private static int payloadSize(KvCommand command) {
    int size = command instanceof KvCommand.Put put ? put.valueUnsafe().length : 0;
    if (command.condition() instanceof KvCondition.ValueEquals expected) {
      size += expected.valueUnsafe().length;
    }
    return size;
  }

  // ---- queries

  public static byte[] encode(KvQuery query) {
    Objects.requireNonNull(query, "query");
    WireWriter out = WireWriter.growing(64);
    out.writeByte(FORMAT_V1);
    if (query instanceof KvQuery.Get get) {
      out.writeByte(GET);
      writeString(out, get.key());
    } else if (query instanceof KvQuery.Prefix prefix) {
      out.writeByte(RANGE_PREFIX);
      writeString(out, prefix.prefix());
      out.writeNonNegativeVarLong(prefix.limit());
      writeOptionalString(out, prefix.pageToken());
    } else if (query instanceof KvQuery.Between between) {
      out.writeByte(RANGE_BETWEEN);
      writeString(out, between.fromKey());
      writeString(out, between.toKey());
      out.writeNonNegativeVarLong(between.limit());
      writeOptionalString(out, between.pageToken());
    } else if (query instanceof KvQuery.Export export) {
      out.writeByte(EXPORT);
      writeString(out, export.exportId());
      out.writeNonNegativeVarLong(export.limit());
      writeOptionalString(out, export.pageToken());
    } else {
      throw new IllegalStateException("unknown query " + query);
    }
    return out.toByteArray();
  }

  public static KvQuery decodeQuery(byte[] bytes) {
    return decode(bytes, "query", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case GET -> new KvQuery.Get(in.readString("key"));
        case RANGE_PREFIX -> new KvQuery.Prefix(in.readString("prefix"), readLimit(in), readOptionalString(in));
        case RANGE_BETWEEN -> new KvQuery.Between(
            in.readString("fromKey"), in.readString("toKey"), readLimit(in), readOptionalString(in));
        case EXPORT -> new KvQuery.Export(in.readString("exportId"), readLimit(in), readOptionalString(in));
        default -> throw unknownTag("query", tag);
      };
    });
  }

  private static int readLimit(WireReader in) {
    long limit = in.readNonNegativeVarLong();
    if (limit < 1 || limit > KvQuery.Range.MAX_LIMIT) {
      throw new KvCodecException("range limit " + limit + " is outside 1.." + KvQuery.Range.MAX_LIMIT);
    }
    return (int) limit;
  }

  // ---- results

  public static byte[] encode(KvResult result) {
    Objects.requireNonNull(result, "result");
    WireWriter out = WireWriter.growing(64 + resultPayloadSize(result));
    out.writeByte(FORMAT_V1);
    if (result instanceof KvResult.Written written) {
      out.writeByte(WRITTEN);
      out.writeNonNegativeVarLong(written.revision());
      writeOptionalKeyValue(out, written.previous());
    } else if (result instanceof KvResult.Deleted deleted) {
      out.writeByte(DELETED);
      out.writeNonNegativeVarLong(deleted.revision());
      writeOptionalKeyValue(out, deleted.previous());
    } else if (result instanceof KvResult.Conflict conflict) {
      out.writeByte(CONFLICT);
      out.writeNonNegativeVarLong(conflict.currentModRevision());
      out.writeNonNegativeVarLong(conflict.revision());
    } else if (result instanceof KvResult.Found found) {
      out.writeByte(FOUND);
      writeKeyValue(out, found.keyValue());
      out.writeNonNegativeVarLong(found.revision());
    } else if (result instanceof KvResult.NotFound notFound) {
      out.writeByte(NOT_FOUND);
      out.writeNonNegativeVarLong(notFound.revision());
    } else if (result instanceof KvResult.RangePage page) {
      out.writeByte(RANGE_PAGE);
      out.writeNonNegativeVarLong(page.keyValues().size());
      for (KeyValue keyValue : page.keyValues()) {
        writeKeyValue(out, keyValue);
      }
      writeOptionalString(out, page.nextPageToken());
      out.writeNonNegativeVarLong(page.revision());
    } else if (result instanceof KvResult.Restored restored) {
      out.writeByte(RESTORED);
      out.writeNonNegativeVarLong(restored.revision());
      out.writeNonNegativeVarLong(restored.keys());
    } else if (result instanceof KvResult.Rejected rejected) {
      out.writeByte(REJECTED);
      out.writeByte(errorCodeByte(rejected.code()));
      writeString(out, rejected.message());
    } else if (result instanceof KvResult.Locked locked) {
      out.writeByte(LOCKED);
      writeKeyLocks(out, locked.locks());
      out.writeBoolean(locked.committed().isPresent());
      locked.committed().ifPresent(committed -> out.writeBytes(encode(committed)));
    } else {
      throw new IllegalStateException("unknown result " + result);
    }
    return out.toByteArray();
  }

  public static KvResult decodeResult(byte[] bytes) {
    return decode(bytes, "result", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case WRITTEN -> new KvResult.Written(in.readNonNegativeVarLong(), readOptionalKeyValue(in));
        case DELETED -> new KvResult.Deleted(in.readNonNegativeVarLong(), readOptionalKeyValue(in));
        case CONFLICT -> new KvResult.Conflict(in.readNonNegativeVarLong(), in.readNonNegativeVarLong());
        case FOUND -> new KvResult.Found(readKeyValue(in), in.readNonNegativeVarLong());
        case NOT_FOUND -> new KvResult.NotFound(in.readNonNegativeVarLong());
        case RANGE_PAGE -> readRangePage(in);
        case REJECTED -> new KvResult.Rejected(readErrorCode(in), in.readString("message"));
        case RESTORED -> new KvResult.Restored(in.readNonNegativeVarLong(), in.readNonNegativeVarLong());
        case LOCKED -> new KvResult.Locked(readKeyLocks(in),
            in.readBoolean() ? Optional.of(decodeResult(in.readBytes("committed answer"))) : Optional.empty());
        default -> throw unknownTag("result", tag);
      };
    });
  }

  private static KvResult.RangePage readRangePage(WireReader in) {
    int count = in.readLength("key-value count");
    List<KeyValue> keyValues = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keyValues.add(readKeyValue(in));
    }
    return new KvResult.RangePage(keyValues, readOptionalString(in), in.readNonNegativeVarLong());
  }

  // Fixed numbers rather than ordinals, so reordering the enum cannot change the format.
  private static int errorCodeByte(KvErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> 1;
      case TOO_LARGE -> 2;
      case CONFLICT -> 3;
      case NOT_FOUND -> 4;
    };
  }

  private static KvErrorCode readErrorCode(WireReader in) {
    int b = in.readByte();
    return switch (b) {
      case 1 -> KvErrorCode.BAD_REQUEST;
      case 2 -> KvErrorCode.TOO_LARGE;
      case 3 -> KvErrorCode.CONFLICT;
      case 4 -> KvErrorCode.NOT_FOUND;
      default -> throw new KvCodecException("unknown error code " + b);
    };
  }

  private static int resultPayloadSize(KvResult result) {
    if (result instanceof KvResult.Found found) {
      return found.keyValue().valueLength();
    }
    if (result instanceof KvResult.Locked locked) {
      return locked.committed().map(KvCodec::resultPayloadSize).orElse(0) + 64 * locked.locks().size();
    }
    if (result instanceof KvResult.RangePage page) {
      long size = 0;
      for (KeyValue keyValue : page.keyValues()) {
        size += keyValue.valueLength() + 3L * keyValue.key().length() + 32;
      }
      return (int) Math.min(size, Integer.MAX_VALUE - 64);
    }
    return 0;
  }

  // ---- shared pieces, also written by the transaction layer's codec

  public static void writeKeyLocks(WireWriter out, List<KeyLock> locks) {
    out.writeNonNegativeVarLong(locks.size());
    for (KeyLock lock : locks) {
      writeString(out, lock.key());
      writeString(out, lock.txnId());
      writeString(out, lock.recordGroup());
      out.writeNonNegativeVarLong(lock.expiresAtMillis());
      out.writeBoolean(lock.exclusive());
    }
  }

  public static List<KeyLock> readKeyLocks(WireReader in) {
    int count = in.readCount("lock count", 5);
    List<KeyLock> locks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      locks.add(new KeyLock(in.readString("key"), in.readString("txn id"), in.readString("record group"),
          in.readNonNegativeVarLong(), in.readBoolean()));
    }
    return locks;
  }

  public static void writeKeyValue(WireWriter out, KeyValue keyValue) {
    writeString(out, keyValue.key());
    out.writeBytes(keyValue.valueUnsafe());
    out.writeNonNegativeVarLong(keyValue.createRevision());
    out.writeNonNegativeVarLong(keyValue.modRevision());
    out.writeNonNegativeVarLong(keyValue.version());
  }

  public static KeyValue readKeyValue(WireReader in) {
    return new KeyValue(in.readString("key"), in.readBytes("value"),
        in.readNonNegativeVarLong(), in.readNonNegativeVarLong(), in.readNonNegativeVarLong());
  }

  public static void writeOptionalKeyValue(WireWriter out, Optional<KeyValue> keyValue) {
    out.writeBoolean(keyValue.isPresent());
    keyValue.ifPresent(present -> writeKeyValue(out, present));
  }

  public static Optional<KeyValue> readOptionalKeyValue(WireReader in) {
    return in.readBoolean() ? Optional.of(readKeyValue(in)) : Optional.empty();
  }

  private static void writeOptionalString(WireWriter out, Optional<String> s) {
    out.writeBoolean(s.isPresent());
    s.ifPresent(present -> writeString(out, present));
  }

  private static Optional<String> readOptionalString(WireReader in) {
    return in.readBoolean() ? Optional.of(in.readString("string")) : Optional.empty();
  }

  /** Strict UTF-8 with its plain length in front: an unpaired surrogate is refused rather than stored as '?'. */
  public static void writeString(WireWriter out, String s) {
    out.writeBytes(StrictUtf8.encode(s));
  }

  static KvCodecException unknownTag(String kind, int tag) {
    return new KvCodecException("unknown " + kind + " tag 0x" + Integer.toHexString(tag));
  }

  interface Body<T> {
    T read(WireReader in);
  }

  /**
   * Checks the format byte, reads the body, insists nothing trails it. A value that decodes but breaks a record's
   * rule (an empty key, inconsistent revisions) is as malformed as a bad length, so it becomes a KvCodecException too.
   */
  static <T> T decode(byte[] bytes, String kind, Body<T> body) {
    Objects.requireNonNull(bytes, kind);
    WireReader in = new WireReader(bytes);
    if (bytes.length == 0) {
      throw new KvCodecException("empty " + kind + ": expected a format byte");
    }
    int format = in.readByte();
    if (format != FORMAT_V1) {
      throw new KvCodecException(
          "unsupported " + kind + " format " + format + " (this node reads format " + FORMAT_V1 + ")");
    }
    try {
      T value = body.read(in);
      in.expectEnd();
      return value;
    } catch (KvCodecException | IllegalArgumentException e) {
      // WireReader reports damaged bytes as IllegalArgumentException; callers of KvCodec only ever see this type.
      throw new KvCodecException("malformed " + kind + ": " + e.getMessage(), e);
    }
  }
}
