package io.raftring;

/**
 * Marker for every message and event that crosses a node boundary or reaches the journal; bound to Jackson CBOR in
 * reference.conf so that no class is ever serialized by Java serialization.
 */
public interface CborSerializable {}
