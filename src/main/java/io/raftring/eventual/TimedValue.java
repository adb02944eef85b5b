package io.raftring.eventual;

import io.raftring.wire.WireReader;
import io.raftring.wire.WireWriter;

/**
 * A stored versioned value with a local wall-clock time in milliseconds, which is this node's own and never
 * replicated: for a key, when this replica last changed it (tombstone grace counts from there); for a hint, when it was
 * first written (its age counts from there, whatever merged into it later).
 */
public record TimedValue(VersionedValue value, long localMillis) {

  byte[] toBytes() {
    byte[] encoded = value.encoding();
    WireWriter out = WireWriter.growing(encoded.length + 10);
    out.writeNonNegativeVarLong(localMillis);
    out.writeBytes(encoded);
    return out.toByteArray();
  }

  static TimedValue fromBytes(byte[] bytes) {
    WireReader in = new WireReader(bytes);
    long millis = in.readNonNegativeVarLong();
    VersionedValue value = VersionedValue.fromBytes(in.readBytes("value"));
    in.expectEnd();
    return new TimedValue(value, millis);
  }
}
