package io.raftring.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The binary form of KV commands (inside Raft log entries), queries and results.
 *
 * <p>Every message is {@code [format byte][tag byte][fields...]}. The format byte lets a later version change the
 * layout while still reading the old one; tags are disjoint across commands (0x01..), queries (0x10..) and results
 * (0x20..), so bytes handed to the wrong decoder fail clearly. Encoding is deterministic: equal values give equal
 * bytes. Numbers are unsigned varints, strings are varint-length-prefixed UTF-8, optionals are a 0/1 byte then the
 * value.
 *
 * <p>A caller proposing a write: {@code byte[] entry = KvCodec.encode(new KvCommand.Put(key, value))}, then
 * {@code KvResult result = KvCodec.decodeResult(resultBytes)}.
 */
public final class KvCodec {

  /** The only format this version writes and reads. */
  public static final int FORMAT_V1 = 1;

  private static final int PUT = 0x01;
  private static final int DELETE = 0x02;

  private static final int GET = 0x10;
  private static final int RANGE_PREFIX = 0x11;
  private static final int RANGE_BETWEEN = 0x12;

  private static final int WRITTEN = 0x20;
  private static final int DELETED = 0x21;
  private static final int CONFLICT = 0x22;
  private static final int FOUND = 0x23;
  private static final int NOT_FOUND = 0x24;
  private static final int RANGE_PAGE = 0x25;
  private static final int REJECTED = 0x26;

  private static final int CONDITION_ALWAYS = 0;
  private static final int CONDITION_MOD_REVISION = 1;
  private static final int CONDITION_VALUE = 2;

  private KvCodec() {}

  // ---- commands

  public static byte[] encode(KvCommand command) {
    Objects.requireNonNull(command, "command");
    KvWireWriter out = new KvWireWriter(32 + 3 * command.key().length() + payloadSize(command));
    out.writeByte(FORMAT_V1);
    if (command instanceof KvCommand.Put put) {
      out.writeByte(PUT);
      out.writeString(put.key());
      out.writeBytes(put.valueUnsafe());
      writeCondition(out, put.condition());
    } else if (command instanceof KvCommand.Delete delete) {
      out.writeByte(DELETE);
      out.writeString(delete.key());
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
        case DELETE -> new KvCommand.Delete(in.readString("key"), readCondition(in));
        default -> throw unknownTag("command", tag);
      };
    });
  }

  private static void writeCondition(KvWireWriter out, KvCondition condition) {
    if (condition instanceof KvCondition.Always) {
      out.writeByte(CONDITION_ALWAYS);
    } else if (condition instanceof KvCondition.ModRevisionEquals modRevision) {
      out.writeByte(CONDITION_MOD_REVISION);
      out.writeVarLong(modRevision.modRevision());
    } else if (condition instanceof KvCondition.ValueEquals value) {
      out.writeByte(CONDITION_VALUE);
      out.writeBytes(value.valueUnsafe());
    } else {
      throw new IllegalStateException("unknown condition " + condition);
    }
  }

  private static KvCondition readCondition(KvWireReader in) {
    int kind = in.readByte();
    return switch (kind) {
      case CONDITION_ALWAYS -> KvCondition.always();
      case CONDITION_MOD_REVISION -> KvCondition.modRevisionEquals(in.readVarLong());
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
    KvWireWriter out = new KvWireWriter(64);
    out.writeByte(FORMAT_V1);
    if (query instanceof KvQuery.Get get) {
      out.writeByte(GET);
      out.writeString(get.key());
    } else if (query instanceof KvQuery.Prefix prefix) {
      out.writeByte(RANGE_PREFIX);
      out.writeString(prefix.prefix());
      out.writeVarLong(prefix.limit());
      writeOptionalString(out, prefix.pageToken());
    } else if (query instanceof KvQuery.Between between) {
      out.writeByte(RANGE_BETWEEN);
      out.writeString(between.fromKey());
      out.writeString(between.toKey());
      out.writeVarLong(between.limit());
      writeOptionalString(out, between.pageToken());
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
        default -> throw unknownTag("query", tag);
      };
    });
  }

  private static int readLimit(KvWireReader in) {
    long limit = in.readVarLong();
    if (limit < 1 || limit > KvQuery.Range.MAX_LIMIT) {
      throw new KvCodecException("range limit " + limit + " is outside 1.." + KvQuery.Range.MAX_LIMIT);
    }
    return (int) limit;
  }

  // ---- results

  public static byte[] encode(KvResult result) {
    Objects.requireNonNull(result, "result");
    KvWireWriter out = new KvWireWriter(64 + resultPayloadSize(result));
    out.writeByte(FORMAT_V1);
    if (result instanceof KvResult.Written written) {
      out.writeByte(WRITTEN);
      out.writeVarLong(written.revision());
      writeOptionalKeyValue(out, written.previous());
    } else if (result instanceof KvResult.Deleted deleted) {
      out.writeByte(DELETED);
      out.writeVarLong(deleted.revision());
      writeOptionalKeyValue(out, deleted.previous());
    } else if (result instanceof KvResult.Conflict conflict) {
      out.writeByte(CONFLICT);
      out.writeVarLong(conflict.currentModRevision());
      out.writeVarLong(conflict.revision());
    } else if (result instanceof KvResult.Found found) {
      out.writeByte(FOUND);
      writeKeyValue(out, found.keyValue());
      out.writeVarLong(found.revision());
    } else if (result instanceof KvResult.NotFound notFound) {
      out.writeByte(NOT_FOUND);
      out.writeVarLong(notFound.revision());
    } else if (result instanceof KvResult.RangePage page) {
      out.writeByte(RANGE_PAGE);
      out.writeVarLong(page.keyValues().size());
      for (KeyValue keyValue : page.keyValues()) {
        writeKeyValue(out, keyValue);
      }
      writeOptionalString(out, page.nextPageToken());
      out.writeVarLong(page.revision());
    } else if (result instanceof KvResult.Rejected rejected) {
      out.writeByte(REJECTED);
      out.writeByte(errorCodeByte(rejected.code()));
      out.writeString(rejected.message());
    } else {
      throw new IllegalStateException("unknown result " + result);
    }
    return out.toByteArray();
  }

  public static KvResult decodeResult(byte[] bytes) {
    return decode(bytes, "result", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case WRITTEN -> new KvResult.Written(in.readVarLong(), readOptionalKeyValue(in));
        case DELETED -> new KvResult.Deleted(in.readVarLong(), readOptionalKeyValue(in));
        case CONFLICT -> new KvResult.Conflict(in.readVarLong(), in.readVarLong());
        case FOUND -> new KvResult.Found(readKeyValue(in), in.readVarLong());
        case NOT_FOUND -> new KvResult.NotFound(in.readVarLong());
        case RANGE_PAGE -> readRangePage(in);
        case REJECTED -> new KvResult.Rejected(readErrorCode(in), in.readString("message"));
        default -> throw unknownTag("result", tag);
      };
    });
  }

  private static KvResult.RangePage readRangePage(KvWireReader in) {
    int count = in.readLength("key-value count");
    List<KeyValue> keyValues = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keyValues.add(readKeyValue(in));
    }
    return new KvResult.RangePage(keyValues, readOptionalString(in), in.readVarLong());
  }

  // Fixed numbers rather than ordinals, so reordering the enum cannot change the format.
  private static int errorCodeByte(KvErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> 1;
      case TOO_LARGE -> 2;
    };
  }

  private static KvErrorCode readErrorCode(KvWireReader in) {
    int b = in.readByte();
    return switch (b) {
      case 1 -> KvErrorCode.BAD_REQUEST;
      case 2 -> KvErrorCode.TOO_LARGE;
      default -> throw new KvCodecException("unknown error code " + b);
    };
  }

  private static int resultPayloadSize(KvResult result) {
    if (result instanceof KvResult.Found found) {
      return found.keyValue().valueLength();
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

  // ---- shared pieces

  private static void writeKeyValue(KvWireWriter out, KeyValue keyValue) {
    out.writeString(keyValue.key());
    out.writeBytes(keyValue.valueUnsafe());
    out.writeVarLong(keyValue.createRevision());
    out.writeVarLong(keyValue.modRevision());
    out.writeVarLong(keyValue.version());
  }

  private static KeyValue readKeyValue(KvWireReader in) {
    return new KeyValue(
        in.readString("key"), in.readBytes("value"), in.readVarLong(), in.readVarLong(), in.readVarLong());
  }

  private static void writeOptionalKeyValue(KvWireWriter out, Optional<KeyValue> keyValue) {
    out.writeBoolean(keyValue.isPresent());
    keyValue.ifPresent(present -> writeKeyValue(out, present));
  }

  private static Optional<KeyValue> readOptionalKeyValue(KvWireReader in) {
    return in.readBoolean() ? Optional.of(readKeyValue(in)) : Optional.empty();
  }

  private static void writeOptionalString(KvWireWriter out, Optional<String> s) {
    out.writeBoolean(s.isPresent());
    s.ifPresent(out::writeString);
  }

  private static Optional<String> readOptionalString(KvWireReader in) {
    return in.readBoolean() ? Optional.of(in.readString("string")) : Optional.empty();
  }

  private static KvCodecException unknownTag(String kind, int tag) {
    return new KvCodecException("unknown " + kind + " tag 0x" + Integer.toHexString(tag));
  }

  private interface Body<T> {
    T read(KvWireReader in);
  }

  /**
   * Checks the format byte, reads the body, insists nothing trails it. A value that decodes but breaks a record's
   * rule (an empty key, inconsistent revisions) is as malformed as a bad length, so it becomes a KvCodecException too.
   */
  private static <T> T decode(byte[] bytes, String kind, Body<T> body) {
    Objects.requireNonNull(bytes, kind);
    KvWireReader in = new KvWireReader(bytes);
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
    } catch (KvCodecException e) {
      throw new KvCodecException("malformed " + kind + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new KvCodecException("malformed " + kind + ": " + e.getMessage(), e);
    }
  }
}
