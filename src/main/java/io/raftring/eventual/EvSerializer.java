package io.raftring.eventual;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.serialization.SerializerWithStringManifest;
import io.raftring.eventual.EvPeer.Ack;
import io.raftring.eventual.EvPeer.Digests;
import io.raftring.eventual.EvPeer.Fetch;
import io.raftring.eventual.EvPeer.Fetched;
import io.raftring.eventual.EvPeer.ForwardWrite;
import io.raftring.eventual.EvPeer.Hashes;
import io.raftring.eventual.EvPeer.LeafDigests;
import io.raftring.eventual.EvPeer.Replicate;
import io.raftring.eventual.EvPeer.TreeHashes;
import io.raftring.eventual.EvPeer.WriteReply;
import io.raftring.wire.ActorRefFormat;
import io.raftring.wire.WireReader;
import io.raftring.wire.WireWriter;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The binary format of every {@link EvPeer} message, on {@code wire/}'s varints and length-prefixed strings: values
 * as {@link VersionedValue}'s own encoding, ActorRefs as their serialization-format string, arrays and lists as a
 * count then the elements. Each manifest names a message and its layout's version; a new layout gets a new manifest.
 */
public final class EvSerializer extends SerializerWithStringManifest {

  /** Unique among the serializers of the system (the Raft one is 7271001, the peer batch 7271101). */
  static final int IDENTIFIER = 7_271_201;

  private static final String REPLICATE = "EvRep1";
  private static final String ACK = "EvAck1";
  private static final String FETCH = "EvFet1";
  private static final String FETCHED = "EvFed1";
  private static final String FORWARD_WRITE = "EvFw1";
  private static final String WRITE_REPLY = "EvWr1";
  private static final String TREE_HASHES = "EvTh1";
  private static final String HASHES = "EvHs1";
  private static final String LEAF_DIGESTS = "EvLd1";
  private static final String DIGESTS = "EvDg1";

  private static final Map<Class<?>, String> MANIFESTS = Map.of(
      Replicate.class, REPLICATE, Ack.class, ACK, Fetch.class, FETCH, Fetched.class, FETCHED,
      ForwardWrite.class, FORWARD_WRITE, WriteReply.class, WRITE_REPLY, TreeHashes.class, TREE_HASHES,
      Hashes.class, HASHES, LeafDigests.class, LEAF_DIGESTS, Digests.class, DIGESTS);

  private final ActorRefFormat actorRefs;

  public EvSerializer(ExtendedActorSystem system) {
    this.actorRefs = new ActorRefFormat(system);
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    String manifest = MANIFESTS.get(o.getClass());
    if (manifest == null) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " cannot serialize " + o.getClass().getName());
    }
    return manifest;
  }

  @Override
  public byte[] toBinary(Object o) {
    WireWriter out = WireWriter.growing(64);
    if (o instanceof Replicate m) {
      out = WireWriter.growing(64 + m.value().encodedSizeEstimate());
      writeString(out, m.key());
      m.value().writeTo(out);
      writeNullableString(out, m.hintFor());
      writeRef(out, m.replyTo());
    } else if (o instanceof Ack m) {
      writeString(out, m.node());
      out.writeBoolean(m.stored());
    } else if (o instanceof Fetch m) {
      writeString(out, m.key());
      writeNullableString(out, m.hintFor());
      writeRef(out, m.replyTo());
    } else if (o instanceof Fetched m) {
      out = WireWriter.growing(32 + m.value().encodedSizeEstimate());
      writeString(out, m.node());
      m.value().writeTo(out);
    } else if (o instanceof ForwardWrite m) {
      out = WireWriter.growing(64 + (m.value() == null ? 0 : m.value().length));
      writeString(out, m.key());
      out.writeNullableBytes(m.value());
      out.writeBoolean(m.context() != null);
      if (m.context() != null) {
        m.context().writeTo(out);
      }
      out.writeNonNegativeVarLong(m.w());
      out.writeNonNegativeVarLong(m.timeoutMillis());
      writeRef(out, m.replyTo());
    } else if (o instanceof WriteReply m) {
      writeNullableString(out, m.error());
      writeNullableString(out, m.message());
      out.writeBoolean(m.context() != null);
      if (m.context() != null) {
        m.context().writeTo(out);
      }
      writeStrings(out, m.acknowledgedBy());
    } else if (o instanceof TreeHashes m) {
      writeString(out, m.from());
      out.writeNonNegativeVarLong(m.level());
      writeInts(out, m.indices());
      writeRef(out, m.replyTo());
    } else if (o instanceof Hashes m) {
      out.writeBoolean(m.hashes() != null);
      if (m.hashes() != null) {
        out.writeVarLong(m.hashes().length);
        for (long h : m.hashes()) {
          out.writeVarLong(h);
        }
      }
    } else if (o instanceof LeafDigests m) {
      writeString(out, m.from());
      writeInts(out, m.leaves());
      out.writeNonNegativeVarLong(m.maxKeys());
      writeRef(out, m.replyTo());
    } else if (o instanceof Digests m) {
      writeStrings(out, m.keys());
      for (long d : m.digests()) {
        out.writeVarLong(d);
      }
    } else {
      throw new IllegalArgumentException(getClass().getSimpleName() + " cannot serialize " + o.getClass().getName());
    }
    return out.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    WireReader in = new WireReader(bytes);
    try {
      Object decoded = switch (manifest) {
        case REPLICATE -> new Replicate(in.readString("key"), VersionedValue.readFrom(in),
            in.readNullableString("hintFor"), ref(in));
        case ACK -> new Ack(in.readString("node"), in.readBoolean());
        case FETCH -> new Fetch(in.readString("key"), in.readNullableString("hintFor"), ref(in));
        case FETCHED -> new Fetched(in.readString("node"), VersionedValue.readFrom(in));
        case FORWARD_WRITE -> new ForwardWrite(in.readString("key"), in.readNullableBytes("value"),
            in.readBoolean() ? VersionVector.readFrom(in) : null, (int) in.readNonNegativeVarLong(),
            in.readNonNegativeVarLong(), ref(in));
        case WRITE_REPLY -> new WriteReply(in.readNullableString("error"), in.readNullableString("message"),
            in.readBoolean() ? VersionVector.readFrom(in) : null, readStrings(in));
        case TREE_HASHES -> new TreeHashes(in.readString("from"), (int) in.readNonNegativeVarLong(), readInts(in),
            ref(in));
        case HASHES -> new Hashes(in.readBoolean() ? readLongs(in) : null);
        case LEAF_DIGESTS -> new LeafDigests(in.readString("from"), readInts(in), (int) in.readNonNegativeVarLong(),
            ref(in));
        case DIGESTS -> readDigests(in);
        default -> throw new NotSerializableException(
            "Unknown manifest '" + manifest + "' for " + getClass().getSimpleName() + " (" + IDENTIFIER + ")");
      };
      in.expectEnd();
      return decoded;
    } catch (IllegalArgumentException | ArithmeticException e) {
      NotSerializableException failure = new NotSerializableException(
          "Corrupt " + manifest + " payload of " + bytes.length + " bytes: " + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }

  private static Digests readDigests(WireReader in) {
    List<String> keys = readStrings(in);
    long[] digests = new long[keys.size()];
    for (int i = 0; i < digests.length; i++) {
      digests[i] = in.readVarLong();
    }
    return new Digests(keys, digests);
  }

  private static void writeString(WireWriter out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeNullableString(WireWriter out, String s) {
    out.writeNullableBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeStrings(WireWriter out, List<String> strings) {
    out.writeVarLong(strings.size());
    strings.forEach(s -> writeString(out, s));
  }

  private static List<String> readStrings(WireReader in) {
    int count = in.readCount("string count", 1);
    List<String> strings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      strings.add(in.readString("string"));
    }
    return List.copyOf(strings);
  }

  private static void writeInts(WireWriter out, int[] ints) {
    out.writeVarLong(ints.length);
    for (int i : ints) {
      out.writeNonNegativeVarLong(i);
    }
  }

  private static int[] readInts(WireReader in) {
    int[] ints = new int[in.readCount("int count", 1)];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = Math.toIntExact(in.readNonNegativeVarLong());
    }
    return ints;
  }

  private static long[] readLongs(WireReader in) {
    long[] longs = new long[in.readCount("hash count", 1)];
    for (int i = 0; i < longs.length; i++) {
      longs[i] = in.readVarLong();
    }
    return longs;
  }

  private void writeRef(WireWriter out, ActorRef<?> ref) {
    out.writeBytes(actorRefs.toBytes(ref));
  }

  private <T> ActorRef<T> ref(WireReader in) {
    return actorRefs.resolve(in.readString("replyTo"));
  }
}
