package io.raftring.kv;

import io.raftring.wire.WireReader;
import io.raftring.wire.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The binary form of lease commands, queries and results, in the same layout as {@link KvCodec} ({@code [format
 * byte][tag byte][fields...]}) and in the same tag space: this class owns command tags 0x0A-0x0F, query tags
 * 0x1A-0x1D and result tags 0x29-0x2F, so {@link KvStateMachine} tells a lease entry from a KV one by its tag.
 */
public final class LeaseCodec {

  private static final int GRANT = 0x0A;
  private static final int REVOKE = 0x0B;
  private static final int EXPIRE = 0x0C;
  private static final int PROMOTE = 0x0D;
  private static final int DELETE_KEYS = 0x0E;
  private static final int FORGET = 0x0F;

  private static final int GET = 0x1A;
  private static final int KEEP_ALIVE = 0x1B;
  private static final int LIST = 0x1C;
  private static final int KEEP_ALIVE_MANY = 0x1D;

  private static final int RENEWALS = 0x29;

  private static final int GRANTED = 0x2A;
  private static final int REFUSED = 0x2B;
  private static final int APPLIED = 0x2C;
  private static final int PROMOTED = 0x2D;
  private static final int INFO = 0x2E;
  private static final int LISTING = 0x2F;

  private LeaseCodec() {}

  /** Whether {@code bytes} are a lease command (as opposed to a KV one); never throws. */
  public static boolean isCommand(byte[] bytes) {
    return hasTagIn(bytes, GRANT, FORGET);
  }

  /** Whether {@code bytes} are a lease query; never throws. */
  public static boolean isQuery(byte[] bytes) {
    return hasTagIn(bytes, GET, KEEP_ALIVE_MANY);
  }

  private static boolean hasTagIn(byte[] bytes, int first, int last) {
    return bytes != null && bytes.length >= 2 && bytes[0] == KvCodec.FORMAT_V1
        && (bytes[1] & 0xff) >= first && (bytes[1] & 0xff) <= last;
  }

  // ---- commands

  public static byte[] encode(LeaseCommand command) {
    Objects.requireNonNull(command, "command");
    WireWriter out = WireWriter.growing(32);
    out.writeByte(KvCodec.FORMAT_V1);
    if (command instanceof LeaseCommand.Grant grant) {
      out.writeByte(GRANT);
      out.writeNonNegativeVarLong(grant.id());
      out.writeNonNegativeVarLong(grant.ttlMillis());
    } else if (command instanceof LeaseCommand.Revoke revoke) {
      out.writeByte(REVOKE);
      out.writeNonNegativeVarLong(revoke.id());
    } else if (command instanceof LeaseCommand.Expire expire) {
      out.writeByte(EXPIRE);
      out.writeNonNegativeVarLong(expire.epoch());
      writeIds(out, expire.ids());
    } else if (command instanceof LeaseCommand.Promote promote) {
      out.writeByte(PROMOTE);
      KvCodec.writeString(out, promote.node());
      out.writeNonNegativeVarLong(promote.expectedEpoch());
    } else if (command instanceof LeaseCommand.DeleteKeys deleteKeys) {
      out.writeByte(DELETE_KEYS);
      writeIds(out, deleteKeys.ids());
    } else if (command instanceof LeaseCommand.Forget forget) {
      out.writeByte(FORGET);
      writeIds(out, forget.ids());
    } else {
      throw new IllegalStateException("unknown lease command " + command);
    }
    return out.toByteArray();
  }

  public static LeaseCommand decodeCommand(byte[] bytes) {
    return KvCodec.decode(bytes, "lease command", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case GRANT -> new LeaseCommand.Grant(in.readNonNegativeVarLong(), in.readNonNegativeVarLong());
        case REVOKE -> new LeaseCommand.Revoke(in.readNonNegativeVarLong());
        case EXPIRE -> new LeaseCommand.Expire(in.readNonNegativeVarLong(), readIds(in));
        case PROMOTE -> new LeaseCommand.Promote(in.readString("node"), in.readNonNegativeVarLong());
        case DELETE_KEYS -> new LeaseCommand.DeleteKeys(readIds(in));
        case FORGET -> new LeaseCommand.Forget(readIds(in));
        default -> throw KvCodec.unknownTag("lease command", tag);
      };
    });
  }

  // ---- queries

  public static byte[] encode(LeaseQuery query) {
    Objects.requireNonNull(query, "query");
    WireWriter out = WireWriter.growing(16);
    out.writeByte(KvCodec.FORMAT_V1);
    if (query instanceof LeaseQuery.Get get) {
      out.writeByte(GET);
      out.writeNonNegativeVarLong(get.id());
    } else if (query instanceof LeaseQuery.KeepAlive keepAlive) {
      out.writeByte(KEEP_ALIVE);
      out.writeNonNegativeVarLong(keepAlive.id());
    } else if (query instanceof LeaseQuery.List) {
      out.writeByte(LIST);
    } else if (query instanceof LeaseQuery.KeepAliveMany many) {
      out.writeByte(KEEP_ALIVE_MANY);
      writeIds(out, many.ids());
    } else {
      throw new IllegalStateException("unknown lease query " + query);
    }
    return out.toByteArray();
  }

  public static LeaseQuery decodeQuery(byte[] bytes) {
    return KvCodec.decode(bytes, "lease query", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case GET -> new LeaseQuery.Get(in.readNonNegativeVarLong());
        case KEEP_ALIVE -> new LeaseQuery.KeepAlive(in.readNonNegativeVarLong());
        case LIST -> new LeaseQuery.List();
        case KEEP_ALIVE_MANY -> new LeaseQuery.KeepAliveMany(readIds(in));
        default -> throw KvCodec.unknownTag("lease query", tag);
      };
    });
  }

  // ---- results

  public static byte[] encode(LeaseResult result) {
    Objects.requireNonNull(result, "result");
    WireWriter out = WireWriter.growing(32);
    out.writeByte(KvCodec.FORMAT_V1);
    if (result instanceof LeaseResult.Granted granted) {
      out.writeByte(GRANTED);
      out.writeNonNegativeVarLong(granted.id());
      out.writeNonNegativeVarLong(granted.ttlMillis());
    } else if (result instanceof LeaseResult.Refused refused) {
      out.writeByte(REFUSED);
      out.writeByte(reasonByte(refused.reason()));
      KvCodec.writeString(out, refused.message());
    } else if (result instanceof LeaseResult.Applied applied) {
      out.writeByte(APPLIED);
      out.writeNonNegativeVarLong(applied.affected());
      out.writeNonNegativeVarLong(applied.revision());
    } else if (result instanceof LeaseResult.Promoted promoted) {
      out.writeByte(PROMOTED);
      out.writeNonNegativeVarLong(promoted.epoch());
    } else if (result instanceof LeaseResult.Info info) {
      out.writeByte(INFO);
      writeRecord(out, info.lease());
      // -1 (unknown) travels as 0, a known time as itself + 1.
      out.writeNonNegativeVarLong(info.remainingMillis() + 1);
    } else if (result instanceof LeaseResult.Listing listing) {
      out.writeByte(LISTING);
      KvCodec.writeString(out, listing.table().lessorNode());
      out.writeNonNegativeVarLong(listing.table().lessorEpoch());
      out.writeNonNegativeVarLong(listing.table().leases().size());
      listing.table().leases().forEach(record -> writeRecord(out, record));
    } else if (result instanceof LeaseResult.Renewals renewals) {
      out.writeByte(RENEWALS);
      out.writeNonNegativeVarLong(renewals.renewals().size());
      for (LeaseResult.Renewal renewal : renewals.renewals()) {
        out.writeNonNegativeVarLong(renewal.id());
        // Not found travels as 0, a renewal as its time left + 1.
        out.writeNonNegativeVarLong(renewal.found() ? renewal.remainingMillis() + 1 : 0);
      }
    } else {
      throw new IllegalStateException("unknown lease result " + result);
    }
    return out.toByteArray();
  }

  public static LeaseResult decodeResult(byte[] bytes) {
    return KvCodec.decode(bytes, "lease result", in -> {
      int tag = in.readByte();
      return switch (tag) {
        case GRANTED -> new LeaseResult.Granted(in.readNonNegativeVarLong(), in.readNonNegativeVarLong());
        case REFUSED -> new LeaseResult.Refused(readReason(in), in.readString("message"));
        case APPLIED -> new LeaseResult.Applied(in.readNonNegativeVarLong(), in.readNonNegativeVarLong());
        case PROMOTED -> new LeaseResult.Promoted(in.readNonNegativeVarLong());
        case INFO -> new LeaseResult.Info(readRecord(in), in.readNonNegativeVarLong() - 1);
        case LISTING -> readListing(in);
        case RENEWALS -> readRenewals(in);
        default -> throw KvCodec.unknownTag("lease result", tag);
      };
    });
  }

  private static LeaseResult.Listing readListing(WireReader in) {
    String node = in.readString("lessor node");
    long epoch = in.readNonNegativeVarLong();
    int count = in.readCount("lease count", 3);
    List<LeaseRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(readRecord(in));
    }
    return new LeaseResult.Listing(new LeaseTable.View(records, node, epoch));
  }

  private static LeaseResult.Renewals readRenewals(WireReader in) {
    int count = in.readCount("renewal count", 2);
    List<LeaseResult.Renewal> renewals = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long id = in.readNonNegativeVarLong();
      long remaining = in.readNonNegativeVarLong();
      renewals.add(new LeaseResult.Renewal(id, remaining > 0, Math.max(0, remaining - 1)));
    }
    return new LeaseResult.Renewals(renewals);
  }

  // Fixed numbers rather than ordinals, so reordering the enum cannot change the format.
  private static int reasonByte(LeaseResult.Reason reason) {
    return switch (reason) {
      case EXISTS -> 1;
      case NOT_FOUND -> 2;
      case STALE_EPOCH -> 3;
      case NOT_LESSOR -> 4;
    };
  }

  private static LeaseResult.Reason readReason(WireReader in) {
    int b = in.readByte();
    return switch (b) {
      case 1 -> LeaseResult.Reason.EXISTS;
      case 2 -> LeaseResult.Reason.NOT_FOUND;
      case 3 -> LeaseResult.Reason.STALE_EPOCH;
      case 4 -> LeaseResult.Reason.NOT_LESSOR;
      default -> throw new KvCodecException("unknown lease refusal " + b);
    };
  }

  private static void writeRecord(WireWriter out, LeaseRecord record) {
    out.writeNonNegativeVarLong(record.id());
    out.writeNonNegativeVarLong(record.ttlMillis());
    out.writeBoolean(record.revoked());
  }

  private static LeaseRecord readRecord(WireReader in) {
    return new LeaseRecord(in.readNonNegativeVarLong(), in.readNonNegativeVarLong(), in.readBoolean());
  }

  private static void writeIds(WireWriter out, List<Long> ids) {
    if (ids.size() > LeaseCommand.MAX_IDS) {
      throw new IllegalArgumentException("at most " + LeaseCommand.MAX_IDS + " lease ids per command");
    }
    out.writeNonNegativeVarLong(ids.size());
    ids.forEach(out::writeNonNegativeVarLong);
  }

  private static List<Long> readIds(WireReader in) {
    int count = in.readCount("lease id count", 1);
    if (count > LeaseCommand.MAX_IDS) {
      throw new KvCodecException("a lease command names " + count + " ids, at most " + LeaseCommand.MAX_IDS);
    }
    List<Long> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(in.readNonNegativeVarLong());
    }
    return ids;
  }
}
