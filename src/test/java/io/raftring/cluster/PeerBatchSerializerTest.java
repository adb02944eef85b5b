package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import io.raftring.raft.Configuration;
import io.raftring.raft.LogEntry;
import io.raftring.raft.PeerMessage;
import java.io.NotSerializableException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A batch of Raft messages survives the trip between nodes, each message in the format it is bound to. */
class PeerBatchSerializerTest {

  private static final ActorTestKit kit = ActorTestKit.create();
  private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));

  @AfterAll
  static void shutDown() {
    kit.shutdownTestKit();
  }

  @Test
  void aBatchOfEveryKindOfPeerMessageComesBackEqual() throws Exception {
    PeerBatch batch = new PeerBatch(List.of(
        new PeerBatch.Addressed("g1", new PeerMessage.AppendEntries(7, "n1", 10, 6, List.of(
            LogEntry.noop(11, 7),
            LogEntry.command(12, 7, "put k v".getBytes()),
            LogEntry.command(13, 7, new byte[0]),
            LogEntry.config(14, 7, new Configuration(Set.of("n1", "n2", "n3"), Set.of("n4")))), 9, 42)),
        new PeerBatch.Addressed("g2", new PeerMessage.AppendEntriesReply(7, "n1", true, 14, 0, 0, 0, 42)),
        new PeerBatch.Addressed("g2", new PeerMessage.AppendEntriesReply(7, "n1", false, 0, 10, 3, 5, 42)),
        new PeerBatch.Addressed("g3", new PeerMessage.RequestVote(8, "n1", 14, 7, true)),
        new PeerBatch.Addressed("g3", new PeerMessage.RequestVoteReply(8, "n1", false, true)),
        new PeerBatch.Addressed("g4", new PeerMessage.TimeoutNow(7, "n1")),
        new PeerBatch.Addressed("g5", new PeerMessage.InstallSnapshotReply(7, "n1", 100, 65_536, false, false))));

    Object back = roundTrip(batch);

    assertThat(back).isEqualTo(batch);
  }

  @Test
  void aSnapshotChunkKeepsItsBytes() throws Exception {
    byte[] data = new byte[65_536];
    Arrays.fill(data, (byte) 7);
    PeerMessage.InstallSnapshot chunk = new PeerMessage.InstallSnapshot(
        3, "n2", 500, 3, Set.of("n1", "n2"), 200_000, 12345, 65_536, data, false, Set.of("n3"));

    PeerBatch back = (PeerBatch) roundTrip(new PeerBatch(List.of(new PeerBatch.Addressed("g9", chunk))));

    PeerMessage.InstallSnapshot copy = (PeerMessage.InstallSnapshot) back.messages().get(0).message();
    assertThat(back.messages().get(0).group()).isEqualTo("g9");
    assertThat(copy.data()).isEqualTo(data);
    assertThat(copy.toString()).isEqualTo(chunk.toString());
    assertThat(copy.learners()).containsExactly("n3");
  }

  @Test
  void batchesAreBoundToTheirOwnSerializer() {
    assertThat(serialization.findSerializerFor(new PeerBatch(List.of()))).isInstanceOf(PeerBatchSerializer.class);
  }

  @Test
  void truncatedOrUnknownInputIsRefusedWithAClearError() {
    PeerBatch batch = new PeerBatch(List.of(new PeerBatch.Addressed("g1", new PeerMessage.TimeoutNow(1, "n1"))));
    Serializer serializer = serialization.findSerializerFor(batch);
    byte[] bytes = serializer.toBinary(batch);

    assertThatThrownBy(() -> serialization.deserialize(
        Arrays.copyOf(bytes, bytes.length - 3), serializer.identifier(), "PB1").get())
        .isInstanceOf(NotSerializableException.class);
    assertThatThrownBy(() -> serialization.deserialize(bytes, serializer.identifier(), "PB9").get())
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("PB9");
    byte[] hugeCount = bytes.clone();
    hugeCount[0] = 0x7f;
    assertThatThrownBy(() -> serialization.deserialize(hugeCount, serializer.identifier(), "PB1").get())
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("corrupt length");
  }

  private static Object roundTrip(PeerBatch batch) throws Exception {
    Serializer serializer = serialization.findSerializerFor(batch);
    byte[] bytes = serializer.toBinary(batch);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, batch)).get();
  }
}
