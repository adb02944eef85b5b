package io.raftring.storage;

/** A snapshot as the store keeps it: which state it is of, and its serialized bytes. */
public record StoredSnapshot(String persistenceId, long sequenceNr, long timestamp, byte[] bytes) {}
