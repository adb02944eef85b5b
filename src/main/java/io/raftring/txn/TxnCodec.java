package io.raftring.txn;

import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCodecException;
import io.raftring.kv.KvCommand;
import io.raftring.wire.WireReader;
import io.raftring.wire.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The binary form of transaction commands (in Raft log entries), queries and results, beside the KV messages of
 * {@link KvCodec}: the same format byte, tags from the range KvCodec leaves to this layer (commands 0x40.., queries
 * 0x50.., results 0x60..), so {@link #isTxnMessage} tells the two apart by the second byte and old journals, which
 * hold only KV commands, read as before. Encoding is deterministic. A tag once in a log keeps its meaning.
 */
public final class TxnCodec {

  private static final int FORMAT_V1 = KvCodec.FORMAT_V1;
  private static final int FIRST_TXN_TAG = 0x40;
  private static final int LAST_TXN_TAG = 0x7F;

  private static final int EXECUTE = 0x40;
  private static final int PREPARE = 0x41;
  private static final int COMMIT = 0x42;
  private static final int ABORT = 0x43;
  private static final int SETTLE = 0x44;

  private static final int READ = 0x50;
  private static final int RECORD_OF = 0x51;
  private static final int LIST_PREPARED = 0x52;

  private static final int DONE = 0x60;
  private static final int BLOCKED = 0x61;
  private static final int PREPARED = 0x62;
  private static final int REFUSED = 0x63;
  private static final int COMMITTED = 0x64;
  private static final int ABORTED = 0x65;
  private static final int NOT_PREPARED = 0x66;
  private static final int RECORD = 0x67;
  private static final int PREPARED_LIST = 0x68;
  private static final int REJECTED = 0x69;

  private static final int OP_PUT = 1;
  private static final int OP_DELETE = 2;
  private static final int OP_GET = 3;
  private static final int OP_RANGE = 4;

  private TxnCodec() {}

  /** Whether {@code bytes} is a transaction message (else it is a KV one, or garbage). */
  public static boolean isTxnMessage(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == FORMAT_V1
        && (bytes[1] & 0xff) >= FIRST_TXN_TAG && (bytes[1] & 0xff) <= LAST_TXN_TAG;
  }

  // ---- commands

  public static byte[] encode(TxnCommand command) {
    Objects.requireNonNull(command, "command");
    WireWriter out = WireWriter.growing(256);
    out.writeByte(FORMAT_V1);
    if (command instanceof TxnCommand.Execute execute) {
      out.writeByte(EXECUTE);
      writeId(out, execute.id());
      out.writeNonNegativeVarLong(execute.nowMillis());
      writeRequest(out, execute.request());
    } else if (command instanceof TxnCommand.Prepare prepare) {
      out.writeByte(PREPARE);
      writeId(out, prepare.id());
      out.writeNonNegativeVarLong(prepare.nowMillis());
      out.writeNonNegativeVarLong(prepare.expiresAtMillis());
      out.writeBoolean(prepare.recordHere());
      writeStrings(out, prepare.participants());
      writeRequest(out, prepare.part());
    } else if (command instanceof TxnCommand.Commit commit) {
      out.writeByte(COMMIT);
      writeId(out, commit.id());
      out.writeNonNegativeVarLong(commit.nowMillis());
      out.writeBoolean(commit.succeeded());
      out.writeBoolean(commit.recordHere());
    } else if (command instanceof TxnCommand.Abort abort) {
      out.writeByte(ABORT);
      writeId(out, abort.id());
      out.writeNonNegativeVarLong(abort.nowMillis());
      out.writeBoolean(abort.recordHere());
    } else if (command instanceof TxnCommand.Settle settle) {
      out.writeByte(SETTLE);
      writeId(out, settle.id());
      out.writeNonNegativeVarLong(settle.nowMillis());
    }
    return out.toByteArray();
  }

  public static TxnCommand decodeCommand(byte[] bytes) {
    return decode(bytes, "transaction command", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case EXECUTE -> new TxnCommand.Execute(readId(in), in.readNonNegativeVarLong(), readRequest(in));
        case PREPARE -> new TxnCommand.Prepare(readId(in), in.readNonNegativeVarLong(), in.readNonNegativeVarLong(),
            in.readBoolean(), readStrings(in), readRequest(in));
        case COMMIT -> new TxnCommand.Commit(readId(in), in.readNonNegativeVarLong(), in.readBoolean(),
            in.readBoolean());
        case ABORT -> new TxnCommand.Abort(readId(in), in.readNonNegativeVarLong(), in.readBoolean());
        case SETTLE -> new TxnCommand.Settle(readId(in), in.readNonNegativeVarLong());
        default -> throw unknownTag("transaction command", tag);
      };
    });
  }

  // ---- queries

  public static byte[] encode(TxnQuery query) {
    Objects.requireNonNull(query, "query");
    WireWriter out = WireWriter.growing(128);
    out.writeByte(FORMAT_V1);
    if (query instanceof TxnQuery.Read read) {
      out.writeByte(READ);
      writeRequest(out, read.request());
    } else if (query instanceof TxnQuery.RecordOf recordOf) {
      out.writeByte(RECORD_OF);
      writeId(out, recordOf.id());
    } else if (query instanceof TxnQuery.ListPrepared list) {
      out.writeByte(LIST_PREPARED);
      out.writeNonNegativeVarLong(list.limit());
    }
    return out.toByteArray();
  }

  public static TxnQuery decodeQuery(byte[] bytes) {
    return decode(bytes, "transaction query", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case READ -> new TxnQuery.Read(readRequest(in));
        case RECORD_OF -> new TxnQuery.RecordOf(readId(in));
        case LIST_PREPARED -> new TxnQuery.ListPrepared(readInt(in, "limit"));
        default -> throw unknownTag("transaction query", tag);
      };
    });
  }

  // ---- results

  public static byte[] encode(TxnResult result) {
    Objects.requireNonNull(result, "result");
    WireWriter out = WireWriter.growing(128);
    out.writeByte(FORMAT_V1);
    if (result instanceof TxnResult.Done done) {
      out.writeByte(DONE);
      writeDone(out, done);
    } else if (result instanceof TxnResult.Blocked blocked) {
      out.writeByte(BLOCKED);
      KvCodec.writeKeyLocks(out, blocked.locks());
      out.writeBoolean(blocked.committed().isPresent());
      blocked.committed().ifPresent(done -> writeDone(out, done));
    } else if (result instanceof TxnResult.Prepared prepared) {
      out.writeByte(PREPARED);
      out.writeBoolean(prepared.comparesHeld());
      writeList(out, prepared.success(), TxnCodec::writeOpResult);
      writeList(out, prepared.failure(), TxnCodec::writeOpResult);
    } else if (result instanceof TxnResult.Refused refused) {
      out.writeByte(REFUSED);
      KvCodec.writeString(out, refused.reason());
      KvCodec.writeKeyLocks(out, refused.conflicts());
    } else if (result instanceof TxnResult.Committed committed) {
      out.writeByte(COMMITTED);
      out.writeNonNegativeVarLong(committed.revision());
      out.writeBoolean(committed.succeeded());
    } else if (result instanceof TxnResult.Aborted aborted) {
      out.writeByte(ABORTED);
      KvCodec.writeString(out, aborted.reason());
    } else if (result instanceof TxnResult.NotPrepared notPrepared) {
      out.writeByte(NOT_PREPARED);
      out.writeBoolean(notPrepared.finished());
    } else if (result instanceof TxnResult.Record record) {
      out.writeByte(RECORD);
      out.writeBoolean(record.record().isPresent());
      record.record().ifPresent(r -> writeRecord(out, r));
      out.writeNonNegativeVarLong(record.clockMillis());
    } else if (result instanceof TxnResult.PreparedList list) {
      out.writeByte(PREPARED_LIST);
      writeList(out, list.prepared(), (o, p) -> {
        writeId(o, p.id());
        o.writeBoolean(p.recordHere());
        o.writeNonNegativeVarLong(p.preparedAtMillis());
        o.writeNonNegativeVarLong(p.expiresAtMillis());
      });
      out.writeNonNegativeVarLong(list.lockedKeys());
      out.writeNonNegativeVarLong(list.preparedCount());
    } else if (result instanceof TxnResult.Rejected rejected) {
      out.writeByte(REJECTED);
      KvCodec.writeString(out, rejected.message());
    }
    return out.toByteArray();
  }

  public static TxnResult decodeResult(byte[] bytes) {
    return decode(bytes, "transaction result", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case DONE -> readDone(in);
        case BLOCKED -> new TxnResult.Blocked(KvCodec.readKeyLocks(in),
            in.readBoolean() ? Optional.of(readDone(in)) : Optional.empty());
        case PREPARED -> new TxnResult.Prepared(in.readBoolean(), readList(in, TxnCodec::readOpResult),
            readList(in, TxnCodec::readOpResult));
        case REFUSED -> new TxnResult.Refused(in.readString("reason"), KvCodec.readKeyLocks(in));
        case COMMITTED -> new TxnResult.Committed(in.readNonNegativeVarLong(), in.readBoolean());
        case ABORTED -> new TxnResult.Aborted(in.readString("reason"));
        case NOT_PREPARED -> new TxnResult.NotPrepared(in.readBoolean());
        case RECORD -> new TxnResult.Record(
            in.readBoolean() ? Optional.of(readRecord(in)) : Optional.empty(), in.readNonNegativeVarLong());
        case PREPARED_LIST -> new TxnResult.PreparedList(readList(in, i -> new TxnResult.PreparedSummary(
            readId(i), i.readBoolean(), i.readNonNegativeVarLong(), i.readNonNegativeVarLong())),
            readInt(in, "locked keys"), readInt(in, "prepared count"));
        case REJECTED -> new TxnResult.Rejected(in.readString("message"));
        default -> throw unknownTag("transaction result", tag);
      };
    });
  }

  // ---- the state of a group, for snapshots

  static byte[] encodeState(GroupTxnState.Contents state) {
    WireWriter out = WireWriter.growing(1024);
    out.writeByte(FORMAT_V1);
    out.writeNonNegativeVarLong(state.clockMillis());
    out.writeNonNegativeVarLong(state.lastGcMillis());
    writeList(out, state.prepared(), TxnCodec::writePrepared);
    writeList(out, state.records(), TxnCodec::writeRecord);
    writeList(out, state.finished(), TxnCodec::writeId);
    return out.toByteArray();
  }

  static GroupTxnState.Contents decodeState(byte[] bytes) {
    WireReader in = new WireReader(bytes);
    try {
      int format = in.readByte();
      if (format != FORMAT_V1) {
        throw new KvCodecException("unsupported transaction state format " + format);
      }
      GroupTxnState.Contents contents = new GroupTxnState.Contents(in.readNonNegativeVarLong(),
          in.readNonNegativeVarLong(), readList(in, TxnCodec::readPrepared), readList(in, TxnCodec::readRecord),
          readList(in, TxnCodec::readId));
      in.expectEnd();
      return contents;
    } catch (IllegalArgumentException e) {
      throw new KvCodecException("malformed transaction state: " + e.getMessage(), e);
    }
  }

  private static void writePrepared(WireWriter out, PreparedTxn p) {
    writeId(out, p.id());
    out.writeBoolean(p.recordHere());
    out.writeNonNegativeVarLong(p.preparedAtMillis());
    out.writeNonNegativeVarLong(p.expiresAtMillis());
    out.writeBoolean(p.comparesHeld());
    writeList(out, p.successRedo(), (o, c) -> o.writeBytes(KvCodec.encode(c)));
    writeList(out, p.failureRedo(), (o, c) -> o.writeBytes(KvCodec.encode(c)));
    writeList(out, p.undo(), (o, u) -> {
      KvCodec.writeString(o, u.key());
      KvCodec.writeOptionalKeyValue(o, u.before());
    });
    KvCodec.writeKeyLocks(out, p.locks());
  }

  private static PreparedTxn readPrepared(WireReader in) {
    return new PreparedTxn(readId(in), in.readBoolean(), in.readNonNegativeVarLong(), in.readNonNegativeVarLong(),
        in.readBoolean(), readList(in, TxnCodec::readRedo), readList(in, TxnCodec::readRedo),
        readList(in, i -> new PreparedTxn.Undo(i.readString("key"), KvCodec.readOptionalKeyValue(i))),
        KvCodec.readKeyLocks(in));
  }

  private static KvCommand readRedo(WireReader in) {
    return KvCodec.decodeCommand(in.readBytes("redo"));
  }

  // ---- pieces

  private static void writeId(WireWriter out, TxnId id) {
    KvCodec.writeString(out, id.group());
    out.writeNonNegativeVarLong(id.startMillis());
    out.writeNonNegativeVarLong(id.sequence());
    out.writeNonNegativeVarLong(id.attempt());
    KvCodec.writeString(out, id.node());
  }

  private static TxnId readId(WireReader in) {
    return new TxnId(in.readString("group"), in.readNonNegativeVarLong(), in.readNonNegativeVarLong(),
        readInt(in, "attempt"), in.readString("node"));
  }

  private static void writeRecord(WireWriter out, TxnRecord record) {
    writeId(out, record.id());
    // Fixed numbers rather than ordinals, so reordering the enum cannot change the format.
    out.writeByte(switch (record.state()) {
      case PENDING -> 0;
      case COMMITTED -> 1;
      case ABORTED -> 2;
    });
    out.writeBoolean(record.succeeded());
    out.writeNonNegativeVarLong(record.revision());
    writeStrings(out, record.participants());
    out.writeBoolean(record.settled());
  }

  private static TxnRecord readRecord(WireReader in) {
    TxnId id = readId(in);
    int state = in.readByte();
    TxnRecord.State decoded = switch (state) {
      case 0 -> TxnRecord.State.PENDING;
      case 1 -> TxnRecord.State.COMMITTED;
      case 2 -> TxnRecord.State.ABORTED;
      default -> throw new KvCodecException("unknown record state " + state);
    };
    return new TxnRecord(id, decoded, in.readBoolean(), in.readNonNegativeVarLong(), readStrings(in),
        in.readBoolean());
  }

  private static void writeRequest(WireWriter out, TxnRequest request) {
    writeList(out, request.compares(), TxnCodec::writeCompare);
    writeList(out, request.success(), TxnCodec::writeOp);
    writeList(out, request.failure(), TxnCodec::writeOp);
  }

  private static TxnRequest readRequest(WireReader in) {
    return new TxnRequest(readList(in, TxnCodec::readCompare), readList(in, TxnCodec::readOp),
        readList(in, TxnCodec::readOp));
  }

  private static void writeCompare(WireWriter out, Compare compare) {
    KvCodec.writeString(out, compare.key());
    out.writeByte(compare.target().ordinal());
    out.writeByte(compare.operator().ordinal());
    if (compare.target() == Compare.Target.VALUE) {
      out.writeBytes(compare.valueUnsafe());
    } else {
      out.writeNonNegativeVarLong(compare.number());
    }
  }

  private static Compare readCompare(WireReader in) {
    String key = in.readString("key");
    Compare.Target target = enumAt(Compare.Target.values(), in.readByte(), "compare target");
    Compare.Operator operator = enumAt(Compare.Operator.values(), in.readByte(), "compare operator");
    return target == Compare.Target.VALUE
        ? new Compare(key, target, operator, in.readBytes("value"), 0)
        : new Compare(key, target, operator, null, in.readNonNegativeVarLong());
  }

  private static void writeOp(WireWriter out, TxnOp op) {
    if (op instanceof TxnOp.Put put) {
      out.writeByte(OP_PUT);
      KvCodec.writeString(out, put.key());
      out.writeBytes(put.valueUnsafe());
    } else if (op instanceof TxnOp.Delete delete) {
      out.writeByte(OP_DELETE);
      KvCodec.writeString(out, delete.key());
    } else if (op instanceof TxnOp.Get get) {
      out.writeByte(OP_GET);
      KvCodec.writeString(out, get.key());
    } else if (op instanceof TxnOp.Range range) {
      out.writeByte(OP_RANGE);
      KvCodec.writeString(out, range.prefix());
      out.writeNonNegativeVarLong(range.limit());
    }
  }

  private static TxnOp readOp(WireReader in) {
    int kind = in.readByte();
    return switch (kind) {
      case OP_PUT -> new TxnOp.Put(in.readString("key"), in.readBytes("value"));
      case OP_DELETE -> new TxnOp.Delete(in.readString("key"));
      case OP_GET -> new TxnOp.Get(in.readString("key"));
      case OP_RANGE -> new TxnOp.Range(in.readString("prefix"), readInt(in, "limit"));
      default -> throw new KvCodecException("unknown operation kind " + kind);
    };
  }

  private static void writeOpResult(WireWriter out, OpResult result) {
    if (result instanceof OpResult.PutResult put) {
      out.writeByte(OP_PUT);
      out.writeNonNegativeVarLong(put.revision());
      KvCodec.writeOptionalKeyValue(out, put.previous());
    } else if (result instanceof OpResult.DeleteResult delete) {
      out.writeByte(OP_DELETE);
      out.writeNonNegativeVarLong(delete.revision());
      KvCodec.writeOptionalKeyValue(out, delete.previous());
    } else if (result instanceof OpResult.GetResult get) {
      out.writeByte(OP_GET);
      KvCodec.writeOptionalKeyValue(out, get.keyValue());
    } else if (result instanceof OpResult.RangeResult range) {
      out.writeByte(OP_RANGE);
      writeList(out, range.keyValues(), KvCodec::writeKeyValue);
      out.writeBoolean(range.more());
    }
  }

  private static OpResult readOpResult(WireReader in) {
    int kind = in.readByte();
    return switch (kind) {
      case OP_PUT -> new OpResult.PutResult(in.readNonNegativeVarLong(), KvCodec.readOptionalKeyValue(in));
      case OP_DELETE -> new OpResult.DeleteResult(in.readNonNegativeVarLong(), KvCodec.readOptionalKeyValue(in));
      case OP_GET -> new OpResult.GetResult(KvCodec.readOptionalKeyValue(in));
      case OP_RANGE -> new OpResult.RangeResult(readList(in, KvCodec::readKeyValue), in.readBoolean());
      default -> throw new KvCodecException("unknown operation result kind " + kind);
    };
  }

  private static void writeDone(WireWriter out, TxnResult.Done done) {
    out.writeBoolean(done.succeeded());
    out.writeNonNegativeVarLong(done.revision());
    writeList(out, done.results(), TxnCodec::writeOpResult);
  }

  private static TxnResult.Done readDone(WireReader in) {
    return new TxnResult.Done(in.readBoolean(), in.readNonNegativeVarLong(), readList(in, TxnCodec::readOpResult));
  }

  private static void writeStrings(WireWriter out, List<String> strings) {
    writeList(out, strings, KvCodec::writeString);
  }

  private static List<String> readStrings(WireReader in) {
    return readList(in, i -> i.readString("string"));
  }

  private interface Writer<T> {
    void write(WireWriter out, T value);
  }

  private static <T> void writeList(WireWriter out, List<T> values, Writer<T> writer) {
    out.writeNonNegativeVarLong(values.size());
    for (T value : values) {
      writer.write(out, value);
    }
  }

  private static <T> List<T> readList(WireReader in, Function<WireReader, T> reader) {
    int count = in.readCount("element count", 1);
    List<T> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(reader.apply(in));
    }
    return values;
  }

  /** A number that is not a length (a limit, a count of things elsewhere): any int 0 or more. */
  private static int readInt(WireReader in, String what) {
    long value = in.readNonNegativeVarLong();
    if (value > Integer.MAX_VALUE) {
      throw new KvCodecException(what + " " + value + " does not fit in an int");
    }
    return (int) value;
  }

  private static <E extends Enum<E>> E enumAt(E[] values, int ordinal, String what) {
    if (ordinal < 0 || ordinal >= values.length) {
      throw new KvCodecException("unknown " + what + " " + ordinal);
    }
    return values[ordinal];
  }

  private static KvCodecException unknownTag(String kind, int tag) {
    return new KvCodecException("unknown " + kind + " tag 0x" + Integer.toHexString(tag));
  }

  /** Checks the format byte, reads the body, insists nothing trails it; any malformation is a KvCodecException. */
  private static <T> T decode(byte[] bytes, String kind, Function<WireReader, T> body) {
    Objects.requireNonNull(bytes, kind);
    if (bytes.length == 0) {
      throw new KvCodecException("empty " + kind);
    }
    WireReader in = new WireReader(bytes);
    int format = in.readByte();
    if (format != FORMAT_V1) {
      throw new KvCodecException("unsupported " + kind + " format " + format);
    }
    try {
      T value = body.apply(in);
      in.expectEnd();
      return value;
    } catch (KvCodecException | IllegalArgumentException e) {
      throw new KvCodecException("malformed " + kind + ": " + e.getMessage(), e);
    }
  }
}
