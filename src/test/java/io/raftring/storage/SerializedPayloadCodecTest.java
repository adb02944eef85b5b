package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializationExtension;
import io.raftring.raft.RaftEvent;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What the journal stores per event: the serializer that wrote it, its manifest and its bytes. */
class SerializedPayloadCodecTest {

  private static final ActorTestKit kit = ActorTestKit.create();
  private static final SerializedPayloadCodec codec =
      new SerializedPayloadCodec(SerializationExtension.get(Adapter.toClassic(kit.system())));

  @AfterAll
  static void shutDown() {
    kit.shutdownTestKit();
  }

  @Test
  void anEventComesBackAsItWasStored() throws Exception {
    RaftEvent event = new RaftEvent.VoteCast(4, "n2");

    assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
  }

  @Test
  void aDamagedManifestLengthIsRefusedBeforeAnythingIsAllocated() throws Exception {
    byte[] stored = codec.encode(new RaftEvent.TermAdvanced(9));
    ByteBuffer.wrap(stored).putInt(5, Integer.MAX_VALUE);

    assertThatThrownBy(() -> codec.decode(stored))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("manifest length " + Integer.MAX_VALUE);
  }
}
