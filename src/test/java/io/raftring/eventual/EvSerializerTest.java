package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every eventual-keyspace message goes through the hand-written format and comes back as it went. */
class EvSerializerTest {

  private static ActorTestKit kit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    kit = ActorTestKit.create("EvSerializerTest", ConfigFactory.load());
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stopSystem() {
    kit.shutdownTestKit();
  }

  private static Object roundTrip(Object message) throws NotSerializableException {
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(serializer).isInstanceOf(EvSerializer.class);
    byte[] bytes = serializer.toBinary(message);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
        .get();
  }

  private static VersionedValue value() {
    VersionedValue base = VersionedValue.EMPTY.update("n1.abc", 3, null, "v".getBytes(StandardCharsets.UTF_8), 99);
    return base.update("n2.xyz", 1, VersionVector.EMPTY, null, 100);
  }

  @Test
  void everyMessageRoundTrips() throws Exception {
    TestProbe<EvPeer.Ack> acks = kit.createTestProbe();
    TestProbe<EvPeer.Fetched> fetched = kit.createTestProbe();
    TestProbe<EvPeer.WriteReply> replies = kit.createTestProbe();
    TestProbe<EvPeer.Hashes> hashes = kit.createTestProbe();
    TestProbe<EvPeer.Digests> digests = kit.createTestProbe();
    List<Object> messages = List.of(
        new EvPeer.Replicate("k", value(), null, acks.getRef()),
        new EvPeer.Replicate("k", value(), "n3", acks.getRef()),
        new EvPeer.Ack("n2", true),
        new EvPeer.Fetch("k", "n3", fetched.getRef()),
        new EvPeer.Fetched("n1", VersionedValue.EMPTY),
        new EvPeer.WriteReply(null, null, value().clock(), List.of("n1", "n2")),
        new EvPeer.WriteReply("NO_QUORUM", "only 1", null, List.of()),
        new EvPeer.TreeHashes("n1", 2, new int[] {0, 31, 1023}, hashes.getRef()),
        new EvPeer.Hashes(new long[] {-1L, 0L, Long.MAX_VALUE}),
        new EvPeer.Hashes(null),
        new EvPeer.LeafDigests("n2", new int[] {5}, 1000, digests.getRef()),
        new EvPeer.Digests(List.of("a", "b"), new long[] {7L, -7L}));
    for (Object message : messages) {
      assertThat(roundTrip(message)).usingRecursiveComparison().isEqualTo(message);
    }
    EvPeer.ForwardWrite forward = new EvPeer.ForwardWrite("k", new byte[] {1, 2}, value().clock(), 2, 1500,
        replies.getRef());
    EvPeer.ForwardWrite back = (EvPeer.ForwardWrite) roundTrip(forward);
    assertThat(back.value()).containsExactly(1, 2);
    assertThat(back.context()).isEqualTo(forward.context());
    assertThat(back.w()).isEqualTo(2);
    assertThat(back.replyTo()).isEqualTo(forward.replyTo());
  }

  @Test
  void damagedBytesFailCleanly() throws Exception {
    Serializer serializer = serialization.serializerFor(EvPeer.Ack.class);
    assertThatThrownBy(() -> serialization.deserialize(new byte[] {5, 1}, serializer.identifier(), "EvRep1").get())
        .isInstanceOf(NotSerializableException.class);
    assertThatThrownBy(() -> serialization.deserialize(new byte[0], serializer.identifier(), "nope").get())
        .isInstanceOf(NotSerializableException.class);
  }
}
