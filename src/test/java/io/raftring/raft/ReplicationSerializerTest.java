package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonCborSerializer;
import com.typesafe.config.ConfigFactory;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.RaftEvent.EntriesAppended;
import io.raftring.raft.ReplicaProtocol.Applied;
import io.raftring.raft.ReplicaProtocol.Propose;
import io.raftring.raft.ReplicaProtocol.ProposeReply;
import io.raftring.raft.ReplicaProtocol.Read;
import io.raftring.raft.ReplicaProtocol.ReadReply;
import io.raftring.raft.ReplicaProtocol.ReadResult;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hand-written format of the hot-path messages and of EntriesAppended: what the project's configuration binds to
 * it, that every message comes back as it went, that events Jackson wrote stay readable, and that damaged bytes fail
 * cleanly.
 */
class ReplicationSerializerTest {

  private static final int JACKSON_CBOR = 33;

  private static ActorTestKit kit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    kit = ActorTestKit.create("ReplicationSerializerTest", ConfigFactory.load());
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stopSystem() {
    kit.shutdownTestKit();
  }

  // ---- bindings ----------------------------------------------------------------------------------------------------

  @Test
  void theProjectConfigurationBindsEachHotPathClassToIt() {
    for (Object message : oneOfEach()) {
      assertThat(serialization.findSerializerFor(message))
          .as(message.getClass().getName())
          .isInstanceOf(ReplicationSerializer.class);
    }
  }

  @Test
  void otherMessagesStayOnJackson() {
    Object vote = new PeerMessage.RequestVote(3, "n1", 10, 2, false);

    assertThat(serialization.findSerializerFor(vote)).isInstanceOf(JacksonCborSerializer.class);
    assertThat(serialization.findSerializerFor(LogEntry.noop(1, 1))).isInstanceOf(JacksonCborSerializer.class);
  }

  // ---- round trips -------------------------------------------------------------------------------------------------

  @Test
  void aHeartbeatWithoutEntriesComesBackEqual() {
    AppendEntries heartbeat = new AppendEntries(7, "n1", 41, 6, List.of(), 40, 12);

    assertThat(roundTrip(heartbeat)).isEqualTo(heartbeat);
  }

  @Test
  void aQuiesceHeartbeatComesBackMarked() {
    AppendEntries quiesce = new AppendEntries(7, "n1", 41, 6, List.of(), 41, 12, true);

    assertThat(roundTrip(quiesce).quiesce()).isTrue();
  }

  /** AE1, the layout before the quiesce flag, is what a node of an earlier build sends: it still reads. */
  @Test
  void anAppendEntriesInTheLayoutBeforeTheQuiesceFlagStillReads() throws Exception {
    AppendEntries heartbeat = new AppendEntries(7, "n1", 41, 6, List.of(), 40, 12);
    byte[] current = serialization.serialize(heartbeat).get();
    // Without entries the layout ends with the flag, then the entry count (0): AE1 is the same without the flag.
    byte[] v1 = new byte[current.length - 1];
    System.arraycopy(current, 0, v1, 0, current.length - 2);
    v1[v1.length - 1] = current[current.length - 1];

    Object back = serialization.deserialize(v1, ReplicationSerializer.IDENTIFIER, "AE1").get();

    assertThat(back).isEqualTo(heartbeat);
  }

  @Test
  void anAppendEntriesWithEntriesOfEveryKindComesBackEqual() {
    AppendEntries append = new AppendEntries(7, "n1", 41, 6, entriesOfEveryKind(42, 7), 40, 12);

    AppendEntries back = roundTrip(append);

    // LogEntry.equals compares data, so the record's equals covers the entries' bytes.
    assertThat(back).isEqualTo(append);
    assertThat(back.entries()).extracting(LogEntry::kind).containsExactly(
        LogEntry.Kind.NOOP, LogEntry.Kind.COMMAND, LogEntry.Kind.COMMAND, LogEntry.Kind.CONFIG);
    assertThat(back.entries().get(2).data()).isEmpty();
    assertThat(back.entries().get(3).configuration()).isEqualTo(append.entries().get(3).configuration());
  }

  @Test
  void acceptedAndRejectedRepliesComeBackEqual() {
    AppendEntriesReply accepted = AppendEntriesReply.accepted(7, "n2", 45, 12);
    AppendEntriesReply rejected = AppendEntriesReply.rejected(7, "n3", 41, 30, 5, 12);

    assertThat(roundTrip(accepted)).isEqualTo(accepted);
    assertThat(roundTrip(rejected)).isEqualTo(rejected);
  }

  @Test
  void anEntriesAppendedEventComesBackEqual() {
    EntriesAppended event = new EntriesAppended(42, entriesOfEveryKind(42, 7));

    assertThat(roundTrip(event)).isEqualTo(event);
    assertThat(roundTrip(new EntriesAppended(1, List.of()))).isEqualTo(new EntriesAppended(1, List.of()));
  }

  @Test
  void numbersAtTheEdgesOfALongComeBackEqual() {
    AppendEntries append = new AppendEntries(Long.MAX_VALUE, "n1", 0, -1,
        List.of(LogEntry.command(Long.MAX_VALUE, Long.MIN_VALUE, bytes("x"))), 127, 128);
    AppendEntriesReply reply = new AppendEntriesReply(-1, "n2", false, Long.MIN_VALUE, 1L << 35, 16_383, 16_384, 0);

    assertThat(roundTrip(append)).isEqualTo(append);
    assertThat(roundTrip(reply)).isEqualTo(reply);
  }

  @Test
  void megabyteValuesComeBackWhole() {
    byte[] value = new byte[1 << 20];
    Arrays.fill(value, (byte) 0xA5);
    value[value.length - 1] = 1;
    AppendEntries append = new AppendEntries(7, "n1", 41, 6,
        List.of(LogEntry.command(42, 7, value), LogEntry.command(43, 7, value)), 40, 12);

    assertThat(roundTrip(append)).isEqualTo(append);
    assertThat(roundTrip(new Applied(42, value)).result()).isEqualTo(value);
  }

  @Test
  void aProposeComesBackWithItsCommandAndAReplyToThatReachesTheSameActor() {
    TestProbe<ProposeReply> client = kit.createTestProbe();
    Propose propose = new Propose(bytes("x=1"), client.ref());

    Propose back = roundTrip(propose);

    assertThat(back.command()).isEqualTo(propose.command());
    assertThat(back.replyTo()).isEqualTo(client.ref());
    back.replyTo().tell(new Applied(1, bytes("ok")));
    assertThat(client.expectMessageClass(Applied.class).index()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(ReadConsistency.class)
  void aReadComesBackWithEachConsistency(ReadConsistency consistency) {
    TestProbe<ReadReply> client = kit.createTestProbe();
    Read read = new Read(bytes("k"), consistency, client.ref());

    Read back = roundTrip(read);

    assertThat(back.query()).isEqualTo(read.query());
    assertThat(back.consistency()).isEqualTo(consistency);
    assertThat(back.replyTo()).isEqualTo(client.ref());
  }

  @Test
  void answersComeBackWithTheirResults() {
    Applied applied = new Applied(42, bytes("done"));
    ReadResult fromLeader = new ReadResult(bytes("v"), 42, "n1", true);
    ReadResult fromFollower = new ReadResult(new byte[0], 40, "n2", false);

    assertThat(roundTrip(applied)).usingRecursiveComparison().isEqualTo(applied);
    assertThat(roundTrip(fromLeader)).usingRecursiveComparison().isEqualTo(fromLeader);
    assertThat(roundTrip(fromFollower)).usingRecursiveComparison().isEqualTo(fromFollower);
  }

  @Test
  void nullsThatJacksonCarriedComeBackNull() {
    // A state machine may answer null, and records do not forbid a null node name or sender.
    ReadResult result = new ReadResult(null, 42, null, false);
    Applied applied = new Applied(42, null);
    AppendEntries heartbeat = new AppendEntries(7, null, 41, 6, List.of(), 40, 12);

    assertThat(roundTrip(result)).isEqualTo(result);
    assertThat(roundTrip(applied)).isEqualTo(applied);
    assertThat(roundTrip(heartbeat)).isEqualTo(heartbeat);
  }

  @Test
  void namesInAnyScriptComeBackEqual() {
    AppendEntriesReply reply = AppendEntriesReply.accepted(7, "nœud-東京-🚀", 45, 12);

    assertThat(roundTrip(reply)).isEqualTo(reply);
  }

  // ---- journal compatibility ---------------------------------------------------------------------------------------

  @Test
  void anEntriesAppendedEventThatJacksonWroteStillReadsWithItsOwnSerializer() {
    Serializer jackson = serialization.serializerByIdentity().get(JACKSON_CBOR).get();
    EntriesAppended event = new EntriesAppended(42, entriesOfEveryKind(42, 7));
    byte[] stored = jackson.toBinary(event);
    String storedManifest = Serializers.manifestFor(jackson, event);

    Object replayed = serialization.deserialize(stored, JACKSON_CBOR, storedManifest).get();

    assertThat(replayed).isEqualTo(event);
  }

  /** A node of the earlier build names the replica's messages RaftReplica$...: they still read, under their new names. */
  @Test
  void aMessageNamedAsTheEarlierBuildNamedItStillReads() {
    Serializer jackson = serialization.serializerByIdentity().get(JACKSON_CBOR).get();
    ReplicaProtocol.NotLeader notLeader = new ReplicaProtocol.NotLeader("n2");
    byte[] bytes = jackson.toBinary(notLeader);

    Object read = serialization.deserialize(bytes, JACKSON_CBOR, "io.raftring.raft.RaftReplica$NotLeader").get();

    assertThat(read).isEqualTo(notLeader);
  }

  // ---- damaged input -----------------------------------------------------------------------------------------------

  @Test
  void everyTruncationOfEveryMessageFailsAsNotSerializable() {
    for (Object message : oneOfEach()) {
      byte[] bytes = serialization.serialize(message).get();
      String manifest = manifestOf(message);
      for (int length = 0; length < bytes.length; length++) {
        byte[] truncated = Arrays.copyOf(bytes, length);
        assertThatThrownBy(() -> deserialize(truncated, manifest))
            .as(manifest + " cut to " + length + " of " + bytes.length + " bytes")
            .isInstanceOf(NotSerializableException.class)
            .hasMessageContaining(manifest);
      }
    }
  }

  @Test
  void aLengthLargerThanThePayloadFailsWithoutBeingAllocated() {
    // EntriesAppended at index 1 with one entry whose data claims 2^62 bytes.
    byte[] bytes = {1, 1, 5, 7, 1, (byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
        (byte) 0x80, (byte) 0x80, (byte) 0x40};

    assertThatThrownBy(() -> deserialize(bytes, "EA1"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("entry data");
  }

  @Test
  void anEntryCountLargerThanThePayloadFailsWithoutBeingAllocated() {
    byte[] bytes = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};

    assertThatThrownBy(() -> deserialize(bytes, "EA1"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("entry count");
  }

  @Test
  void anUnknownEntryKindOrConsistencyFailsAsNotSerializable() {
    byte[] entryOfKind9 = {1, 1, 5, 7, 9, 1};
    byte[] readOfConsistency9 = {1, 9, 0};

    assertThatThrownBy(() -> deserialize(entryOfKind9, "EA1")).isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("kind 9");
    assertThatThrownBy(() -> deserialize(readOfConsistency9, "R1")).isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("consistency 9");
  }

  @Test
  void trailingBytesFailAsNotSerializable() {
    byte[] bytes = serialization.serialize(new Applied(42, bytes("done"))).get();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

    assertThatThrownBy(() -> deserialize(longer, "A1"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void anUnknownManifestFailsAsNotSerializable() {
    byte[] bytes = serialization.serialize(new Applied(42, bytes("done"))).get();

    assertThatThrownBy(() -> deserialize(bytes, "A9"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("A9");
  }

  // ---- helpers -----------------------------------------------------------------------------------------------------

  private static List<Object> oneOfEach() {
    TestProbe<ProposeReply> proposer = kit.createTestProbe();
    TestProbe<ReadReply> reader = kit.createTestProbe();
    return List.of(
        new AppendEntries(7, "n1", 41, 6, entriesOfEveryKind(42, 7), 40, 12),
        AppendEntriesReply.rejected(7, "n3", 41, 30, 5, 12),
        new EntriesAppended(42, entriesOfEveryKind(42, 7)),
        new Propose(bytes("x=1"), proposer.ref()),
        new Applied(42, bytes("done")),
        new Read(bytes("k"), ReadConsistency.LEASE, reader.ref()),
        new ReadResult(bytes("v"), 42, "n1", true));
  }

  /** A NOOP, a command, a command with no data and a configuration, from {@code index} on. */
  private static List<LogEntry> entriesOfEveryKind(long index, long term) {
    return List.of(
        LogEntry.noop(index, term),
        LogEntry.command(index + 1, term, bytes("put k v")),
        LogEntry.command(index + 2, term, new byte[0]),
        LogEntry.config(index + 3, term, new Configuration(Set.of("n1", "n2", "n3"), Set.of("n4"))));
  }

  /** Through Akka Serialization as Artery and the journal use it, checking it took this serializer. */
  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(serializer.identifier()).isEqualTo(ReplicationSerializer.IDENTIFIER);
    byte[] bytes = serialization.serialize(message).get();
    Object back = serialization.deserialize(bytes, serializer.identifier(), manifestOf(message)).get();
    assertThat(back).isInstanceOf(message.getClass());
    return (T) back;
  }

  private static String manifestOf(Object message) {
    return Serializers.manifestFor(serialization.findSerializerFor(message), message);
  }

  private static Object deserialize(byte[] bytes, String manifest) {
    return serialization.deserialize(bytes, ReplicationSerializer.IDENTIFIER, manifest).get();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
