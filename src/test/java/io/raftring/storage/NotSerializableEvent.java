package io.raftring.storage;

/** Has no serialization binding (and Java serialization is off), so no journal can store it. */
final class NotSerializableEvent {
  @Override
  public String toString() {
    return "NotSerializableEvent";
  }
}
