package io.raftring.storage;

import akka.serialization.Serialization;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns any object into bytes with Akka Serialization and back: (format version, serializer id, manifest, bytes), so
 * that what is bound to jackson-cbor (or any other serializer) in the configuration is stored that way, and so that a
 * stored value names the serializer that can read it even after the bindings changed.
 */
final class SerializedPayloadCodec {

  private static final byte FORMAT_VERSION = 1;

  private final Serialization serialization;

  SerializedPayloadCodec(Serialization serialization) {
    this.serialization = serialization;
  }

  /** @throws NotSerializableException if no serializer can write the object (or the serializer failed) */
  byte[] encode(Object value) throws NotSerializableException {
    Serializer serializer;
    byte[] manifest;
    byte[] payload;
    try {
      serializer = serialization.findSerializerFor(value);
      manifest = Serializers.manifestFor(serializer, value).getBytes(StandardCharsets.UTF_8);
      // Serialization.serialize sets the transport information that serializers of ActorRefs need.
      payload = serialization.serialize(value).get();
    } catch (Exception e) {
      NotSerializableException failure = new NotSerializableException(
          "Cannot serialize " + value.getClass().getName() + " for the journal: " + e);
      failure.initCause(e);
      throw failure;
    }
    return ByteBuffer.allocate(1 + 4 + 4 + manifest.length + payload.length)
        .put(FORMAT_VERSION)
        .putInt(serializer.identifier())
        .putInt(manifest.length)
        .put(manifest)
        .put(payload)
        .array();
  }

  /** @throws NotSerializableException if the bytes are not in this format or the serializer cannot read them */
  Object decode(byte[] bytes) throws NotSerializableException {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      byte version = buffer.get();
      if (version != FORMAT_VERSION) {
        throw new NotSerializableException("Unknown stored format version " + version);
      }
      int serializerId = buffer.getInt();
      int manifestLength = buffer.getInt();
      if (manifestLength < 0 || manifestLength > buffer.remaining()) {
        // Checked before allocating: a damaged length must not ask for gigabytes.
        throw new NotSerializableException("Corrupt stored value: manifest length " + manifestLength + " with "
            + buffer.remaining() + " bytes left");
      }
      byte[] manifest = new byte[manifestLength];
      buffer.get(manifest);
      byte[] payload = new byte[buffer.remaining()];
      buffer.get(payload);
      return serialization.deserialize(payload, serializerId, new String(manifest, StandardCharsets.UTF_8)).get();
    } catch (NotSerializableException e) {
      throw e;
    } catch (Exception e) {
      NotSerializableException failure = new NotSerializableException("Cannot deserialize stored value: " + e);
      failure.initCause(e);
      throw failure;
    }
  }
}
