package io.raftring.wire;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import java.nio.charset.StandardCharsets;

/**
 * ActorRefs in a hand-written format: their serialization-format string as UTF-8 (null stays null), through the
 * system's {@link ActorRefResolver}, made on first use because a serializer may be created while the system starts,
 * before the typed system exists.
 */
public final class ActorRefFormat {

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public ActorRefFormat(ExtendedActorSystem system) {
    this.system = system;
  }

  /** The UTF-8 of the reference's serialization format, or null for null. */
  public byte[] toBytes(ActorRef<?> ref) {
    return ref == null ? null : resolver().toSerializationFormat(ref).getBytes(StandardCharsets.UTF_8);
  }

  /** The reference a serialization-format string names, or null for null. */
  public <T> ActorRef<T> resolve(String serializationFormat) {
    return serializationFormat == null ? null : resolver().resolveActorRef(serializationFormat);
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      // Racing threads get the same extension; whichever write wins is fine.
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }
}
