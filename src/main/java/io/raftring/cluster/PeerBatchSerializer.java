package io.raftring.cluster;

import io.raftring.raft.ReplicaProtocol;
import akka.actor.ExtendedActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.SerializerWithStringManifest;
import akka.serialization.Serializers;
import java.io.NotSerializableException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link PeerBatch} as a count, then per message its group and the message as its own serializer writes it
 * (serializer id, manifest, bytes): each Raft message keeps whatever format the configuration binds it to, and only
 * the envelope is new.
 */
public final class PeerBatchSerializer extends SerializerWithStringManifest {

  static final int IDENTIFIER = 7_271_101;
  private static final String MANIFEST = "PB1";

  private final ExtendedActorSystem system;
  /** Looked up on first use: serializers are built while the serialization extension itself is being created. */
  private volatile Serialization serialization;

  public PeerBatchSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return MANIFEST;
  }

  @Override
  public byte[] toBinary(Object o) {
    if (!(o instanceof PeerBatch batch)) {
      throw new IllegalArgumentException("cannot serialize " + o.getClass().getName() + " as a PeerBatch");
    }
    int count = batch.messages().size();
    byte[][] groups = new byte[count][];
    int[] serializerIds = new int[count];
    byte[][] manifests = new byte[count][];
    byte[][] payloads = new byte[count][];
    int size = 4;
    for (int i = 0; i < count; i++) {
      PeerBatch.Addressed m = batch.messages().get(i);
      Serializer serializer = serialization().findSerializerFor(m.message());
      groups[i] = m.group().getBytes(StandardCharsets.UTF_8);
      serializerIds[i] = serializer.identifier();
      manifests[i] = Serializers.manifestFor(serializer, m.message()).getBytes(StandardCharsets.UTF_8);
      payloads[i] = serializer.toBinary(m.message());
      size += 4 + groups[i].length + 4 + 4 + manifests[i].length + 4 + payloads[i].length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).putInt(count);
    for (int i = 0; i < count; i++) {
      out.putInt(groups[i].length).put(groups[i])
          .putInt(serializerIds[i])
          .putInt(manifests[i].length).put(manifests[i])
          .putInt(payloads[i].length).put(payloads[i]);
    }
    return out.array();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    if (!MANIFEST.equals(manifest)) {
      throw new NotSerializableException("unknown PeerBatch manifest '" + manifest + "'");
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int count = length(in, 1);
      List<PeerBatch.Addressed> messages = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String group = new String(chunk(in), StandardCharsets.UTF_8);
        int serializerId = in.getInt();
        String messageManifest = new String(chunk(in), StandardCharsets.UTF_8);
        Object message = serialization().deserialize(chunk(in), serializerId, messageManifest).get();
        if (!(message instanceof ReplicaProtocol.Command command)) {
          throw new NotSerializableException("a PeerBatch carried " + message.getClass().getName());
        }
        messages.add(new PeerBatch.Addressed(group, command));
      }
      if (in.hasRemaining()) {
        throw new NotSerializableException("PeerBatch has " + in.remaining() + " bytes after its last message");
      }
      return new PeerBatch(messages);
    } catch (BufferUnderflowException e) {
      throw new NotSerializableException("PeerBatch is truncated");
    } catch (NotSerializableException e) {
      throw e;
    } catch (Exception e) {
      NotSerializableException failure = new NotSerializableException("cannot read a PeerBatch: " + e);
      failure.initCause(e);
      throw failure;
    }
  }

  private Serialization serialization() {
    Serialization s = serialization;
    if (s == null) {
      s = SerializationExtension.get(system);
      serialization = s;
    }
    return s;
  }

  /** A length-prefixed byte string, its length checked against what is left so corrupt input cannot allocate. */
  private static byte[] chunk(ByteBuffer in) {
    byte[] bytes = new byte[length(in, 1)];
    in.get(bytes);
    return bytes;
  }

  /** A non-negative count of items of at least {@code minBytesEach} bytes that the rest of the buffer can hold. */
  private static int length(ByteBuffer in, int minBytesEach) {
    int n = in.getInt();
    if (n < 0 || (long) n * minBytesEach > in.remaining()) {
      throw new IllegalArgumentException("corrupt length " + n + " with " + in.remaining() + " bytes left");
    }
    return n;
  }
}
