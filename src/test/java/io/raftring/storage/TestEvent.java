package io.raftring.storage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;

/** An event or snapshot bound to jackson-cbor, like every RaftRing event. */
record TestEvent(String text) implements CborSerializable {
  @JsonCreator
  TestEvent(@JsonProperty("text") String text) {
    this.text = text;
  }
}
