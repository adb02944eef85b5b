package io.raftring.raft;

import static io.raftring.wire.WireWriter.nullableBytesSize;
import static io.raftring.wire.WireWriter.varLongSize;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.serialization.SerializerWithStringManifest;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.RaftEvent.EntriesAppended;
import io.raftring.raft.ReplicaProtocol.Applied;
import io.raftring.raft.ReplicaProtocol.Propose;
import io.raftring.raft.ReplicaProtocol.Read;
import io.raftring.raft.ReplicaProtocol.ReadResult;
import io.raftring.wire.ActorRefFormat;
import io.raftring.wire.WireReader;
import io.raftring.wire.WireWriter;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A hand-written binary format for the messages and the event of every write (replication, proposals, reads), where
 * Jackson's per-message cost showed as 10-15% of a node's CPU. Everything else stays on jackson-cbor.
 *
 * <p>Each manifest names a class and a version of its layout; a new layout gets a new manifest and this class keeps
 * reading the old one (EntriesAppended lives in journals). Fields are written in declaration order: longs as unsigned
 * LEB128 varints, booleans as one byte, enums as one explicit code byte, strings (UTF-8) and byte arrays with their
 * length + 1 in front (0 for null), ActorRefs as their serialization-format string, lists as a count then elements.
 */
public final class ReplicationSerializer extends SerializerWithStringManifest {

  /** Unique among the serializers of the system: Akka's own are below 100, jackson-cbor is 33. */
  static final int IDENTIFIER = 7271001;

  /** AppendEntries before it carried the quiesce flag: still read (a node of an earlier build may send it). */
  private static final String APPEND_ENTRIES_V1 = "AE1";
  private static final String APPEND_ENTRIES = "AE2";
  private static final String APPEND_ENTRIES_REPLY = "AER1";
  private static final String ENTRIES_APPENDED = "EA1";
  private static final String PROPOSE = "P1";
  private static final String APPLIED = "A1";
  private static final String READ = "R1";
  private static final String READ_RESULT = "RR1";

  /** Smallest encoded LogEntry: one byte each for index, term, kind and the length of its data. */
  private static final int MIN_ENTRY_BYTES = 4;

  private final ActorRefFormat actorRefs;

  public ReplicationSerializer(ExtendedActorSystem system) {
    this.actorRefs = new ActorRefFormat(system);
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof AppendEntries) {
      return APPEND_ENTRIES;
    } else if (o instanceof AppendEntriesReply) {
      return APPEND_ENTRIES_REPLY;
    } else if (o instanceof EntriesAppended) {
      return ENTRIES_APPENDED;
    } else if (o instanceof Propose) {
      return PROPOSE;
    } else if (o instanceof Applied) {
      return APPLIED;
    } else if (o instanceof Read) {
      return READ;
    } else if (o instanceof ReadResult) {
      return READ_RESULT;
    }
    throw new IllegalArgumentException(getClass().getSimpleName() + " cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof AppendEntries m) {
      return appendEntries(m);
    } else if (o instanceof AppendEntriesReply m) {
      return appendEntriesReply(m);
    } else if (o instanceof EntriesAppended e) {
      return entriesAppended(e);
    } else if (o instanceof Propose m) {
      return propose(m);
    } else if (o instanceof Applied m) {
      return applied(m);
    } else if (o instanceof Read m) {
      return read(m);
    } else if (o instanceof ReadResult m) {
      return readResult(m);
    }
    throw new IllegalArgumentException(getClass().getSimpleName() + " cannot serialize " + o.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    WireReader in = new WireReader(bytes);
    try {
      Object decoded = switch (manifest) {
        case APPEND_ENTRIES -> readAppendEntries(in, true);
        case APPEND_ENTRIES_V1 -> readAppendEntries(in, false);
        case APPEND_ENTRIES_REPLY -> readAppendEntriesReply(in);
        case ENTRIES_APPENDED -> readEntriesAppended(in);
        case PROPOSE -> readPropose(in);
        case APPLIED -> readApplied(in);
        case READ -> readRead(in);
        case READ_RESULT -> readReadResult(in);
        default -> throw new NotSerializableException(
            "Unknown manifest '" + manifest + "' for " + getClass().getSimpleName() + " (" + IDENTIFIER + ")");
      };
      in.expectEnd();
      return decoded;
    } catch (IllegalArgumentException e) {
      NotSerializableException failure = new NotSerializableException(
          "Corrupt " + manifest + " payload of " + bytes.length + " bytes: " + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }

  // ---- writing: each message's exact size first, then one array filled in the same field order --------------------

  private static byte[] appendEntries(AppendEntries m) {
    byte[] from = utf8(m.from());
    long size = varLongSize(m.term()) + nullableBytesSize(from) + varLongSize(m.prevLogIndex())
        + varLongSize(m.prevLogTerm()) + varLongSize(m.leaderCommit()) + varLongSize(m.round()) + 1
        + entriesSize(m.entries());
    WireWriter out = WireWriter.exactly(Math.toIntExact(size));
    out.writeVarLong(m.term());
    out.writeNullableBytes(from);
    out.writeVarLong(m.prevLogIndex());
    out.writeVarLong(m.prevLogTerm());
    out.writeVarLong(m.leaderCommit());
    out.writeVarLong(m.round());
    out.writeBoolean(m.quiesce());
    writeEntries(out, m.entries());
    return out.toByteArray();
  }

  private static byte[] appendEntriesReply(AppendEntriesReply m) {
    byte[] from = utf8(m.from());
    long size = varLongSize(m.term()) + nullableBytesSize(from) + 1 + varLongSize(m.matchIndex())
        + varLongSize(m.rejectedPrevIndex()) + varLongSize(m.conflictIndex()) + varLongSize(m.conflictTerm())
        + varLongSize(m.round());
    WireWriter out = WireWriter.exactly(Math.toIntExact(size));
    out.writeVarLong(m.term());
    out.writeNullableBytes(from);
    out.writeBoolean(m.success());
    out.writeVarLong(m.matchIndex());
    out.writeVarLong(m.rejectedPrevIndex());
    out.writeVarLong(m.conflictIndex());
    out.writeVarLong(m.conflictTerm());
    out.writeVarLong(m.round());
    return out.toByteArray();
  }

  private static byte[] entriesAppended(EntriesAppended e) {
    WireWriter out = WireWriter.exactly(Math.toIntExact(varLongSize(e.startIndex()) + entriesSize(e.entries())));
    out.writeVarLong(e.startIndex());
    writeEntries(out, e.entries());
    return out.toByteArray();
  }

  private byte[] propose(Propose m) {
    byte[] replyTo = actorRef(m.replyTo());
    WireWriter out = WireWriter.exactly(nullableBytesSize(m.command()) + nullableBytesSize(replyTo));
    out.writeNullableBytes(m.command());
    out.writeNullableBytes(replyTo);
    return out.toByteArray();
  }

  private static byte[] applied(Applied m) {
    WireWriter out = WireWriter.exactly(varLongSize(m.index()) + nullableBytesSize(m.result()));
    out.writeVarLong(m.index());
    out.writeNullableBytes(m.result());
    return out.toByteArray();
  }

  private byte[] read(Read m) {
    byte[] replyTo = actorRef(m.replyTo());
    WireWriter out = WireWriter.exactly(nullableBytesSize(m.query()) + 1 + nullableBytesSize(replyTo));
    out.writeNullableBytes(m.query());
    out.writeByte(consistencyCode(m.consistency()));
    out.writeNullableBytes(replyTo);
    return out.toByteArray();
  }

  private static byte[] readResult(ReadResult m) {
    byte[] node = utf8(m.node());
    WireWriter out = WireWriter.exactly(
        nullableBytesSize(m.result()) + varLongSize(m.appliedIndex()) + nullableBytesSize(node) + 1);
    out.writeNullableBytes(m.result());
    out.writeVarLong(m.appliedIndex());
    out.writeNullableBytes(node);
    out.writeBoolean(m.leader());
    return out.toByteArray();
  }

  private static long entriesSize(List<LogEntry> entries) {
    long size = varLongSize(entries.size());
    for (LogEntry entry : entries) {
      size += varLongSize(entry.index()) + varLongSize(entry.term()) + 1 + nullableBytesSize(entry.data());
    }
    return size;
  }

  private static void writeEntries(WireWriter out, List<LogEntry> entries) {
    out.writeVarLong(entries.size());
    for (LogEntry entry : entries) {
      out.writeVarLong(entry.index());
      out.writeVarLong(entry.term());
      out.writeByte(kindCode(entry.kind()));
      out.writeNullableBytes(entry.data());
    }
  }

  // ---- reading -----------------------------------------------------------------------------------------------------

  private static AppendEntries readAppendEntries(WireReader in, boolean withQuiesce) {
    long term = in.readVarLong();
    String from = in.readNullableString("from");
    long prevLogIndex = in.readVarLong();
    long prevLogTerm = in.readVarLong();
    long leaderCommit = in.readVarLong();
    long round = in.readVarLong();
    boolean quiesce = withQuiesce && in.readBoolean();
    return new AppendEntries(term, from, prevLogIndex, prevLogTerm, readEntries(in), leaderCommit, round, quiesce);
  }

  private static AppendEntriesReply readAppendEntriesReply(WireReader in) {
    long term = in.readVarLong();
    String from = in.readNullableString("from");
    boolean success = in.readBoolean();
    long matchIndex = in.readVarLong();
    long rejectedPrevIndex = in.readVarLong();
    long conflictIndex = in.readVarLong();
    long conflictTerm = in.readVarLong();
    long round = in.readVarLong();
    return new AppendEntriesReply(
        term, from, success, matchIndex, rejectedPrevIndex, conflictIndex, conflictTerm, round);
  }

  private static EntriesAppended readEntriesAppended(WireReader in) {
    long startIndex = in.readVarLong();
    return new EntriesAppended(startIndex, readEntries(in));
  }

  private Propose readPropose(WireReader in) {
    byte[] command = in.readNullableBytes("command");
    return new Propose(command, resolveActorRef(in.readNullableString("replyTo")));
  }

  private static Applied readApplied(WireReader in) {
    long index = in.readVarLong();
    return new Applied(index, in.readNullableBytes("result"));
  }

  private Read readRead(WireReader in) {
    byte[] query = in.readNullableBytes("query");
    ReadConsistency consistency = consistency(in.readByte());
    return new Read(query, consistency, resolveActorRef(in.readNullableString("replyTo")));
  }

  private static ReadResult readReadResult(WireReader in) {
    byte[] result = in.readNullableBytes("result");
    long appliedIndex = in.readVarLong();
    String node = in.readNullableString("node");
    return new ReadResult(result, appliedIndex, node, in.readBoolean());
  }

  private static List<LogEntry> readEntries(WireReader in) {
    LogEntry[] entries = new LogEntry[in.readCount("entry count", MIN_ENTRY_BYTES)];
    for (int i = 0; i < entries.length; i++) {
      long index = in.readVarLong();
      long term = in.readVarLong();
      LogEntry.Kind kind = kind(in.readByte());
      entries[i] = new LogEntry(index, term, kind, in.readNullableBytes("entry data"));
    }
    // Like the leader's slices of its log: nobody changes a received batch.
    return Collections.unmodifiableList(Arrays.asList(entries));
  }

  // ---- enums by explicit codes, so reordering or adding constants never changes what stored bytes mean -------------

  private static int kindCode(LogEntry.Kind kind) {
    return switch (kind) {
      case NOOP -> 0;
      case COMMAND -> 1;
      case CONFIG -> 2;
    };
  }

  private static LogEntry.Kind kind(int code) {
    return switch (code) {
      case 0 -> LogEntry.Kind.NOOP;
      case 1 -> LogEntry.Kind.COMMAND;
      case 2 -> LogEntry.Kind.CONFIG;
      default -> throw new IllegalArgumentException("unknown log entry kind " + code);
    };
  }

  private static int consistencyCode(ReadConsistency consistency) {
    if (consistency == null) {
      throw new IllegalArgumentException("a Read must name its consistency");
    }
    return switch (consistency) {
      case LINEARIZABLE -> 0;
      case LEASE -> 1;
      case STALE -> 2;
    };
  }

  private static ReadConsistency consistency(int code) {
    return switch (code) {
      case 0 -> ReadConsistency.LINEARIZABLE;
      case 1 -> ReadConsistency.LEASE;
      case 2 -> ReadConsistency.STALE;
      default -> throw new IllegalArgumentException("unknown read consistency " + code);
    };
  }

  // ---- strings and ActorRefs ---------------------------------------------------------------------------------------

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] actorRef(ActorRef<?> ref) {
    return actorRefs.toBytes(ref);
  }

  private <T> ActorRef<T> resolveActorRef(String serializationFormat) {
    return actorRefs.resolve(serializationFormat);
  }
}
