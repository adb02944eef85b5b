package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.PeerMessage;
import io.raftring.raft.ReplicaId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How a node's Raft messages to other nodes are gathered into per-node batches, and when they are not. */
class PeerMailerTest {

  private static final ActorTestKit kit = ActorTestKit.create();

  /** The dispatcher, run by hand: each task is a scheduled flush. */
  private final Queue<Runnable> flushes = new ArrayDeque<>();
  private final TestProbe<PeerBatch> n2 = kit.createTestProbe();
  private final TestProbe<PeerBatch> n3 = kit.createTestProbe();
  private final Map<String, List<ActorRef<PeerBatch>>> inboxes =
      Map.of("n2", List.of(n2.ref()), "n3", List.of(n3.ref()));
  private final List<String> sentDirectly = new ArrayList<>();
  private final PeerMailer mailer = new PeerMailer("n1", flushes::add,
      node -> inboxes.getOrDefault(node, List.of()), (id, message) -> sentDirectly.add(id.entityId()));

  @AfterAll
  static void shutDown() {
    kit.shutdownTestKit();
  }

  @Test
  void messagesOfManyGroupsSentBeforeTheFlushRunsLeaveAsOneBatchInOrder() {
    mailer.send(new ReplicaId("g1", "n2"), heartbeat(1));
    mailer.send(new ReplicaId("g2", "n2"), heartbeat(2));
    mailer.send(new ReplicaId("g1", "n2"), new PeerMessage.TimeoutNow(1, "n1"));

    assertThat(flushes).hasSize(1);
    runFlushes();

    PeerBatch batch = n2.receiveMessage();
    assertThat(batch.messages()).extracting(PeerBatch.Addressed::group).containsExactly("g1", "g2", "g1");
    assertThat(batch.messages().get(2).message()).isInstanceOf(PeerMessage.TimeoutNow.class);
    n2.expectNoMessage(Duration.ofMillis(50));
    assertThat(mailer.batchedMessages()).isEqualTo(3);
    assertThat(mailer.batches()).isEqualTo(1);
  }

  @Test
  void aMessageSentAfterAFlushSchedulesTheNext() {
    mailer.send(new ReplicaId("g1", "n2"), heartbeat(1));
    runFlushes();
    mailer.send(new ReplicaId("g1", "n2"), heartbeat(2));

    assertThat(flushes).hasSize(1);
    runFlushes();
    assertThat(n2.receiveMessage().messages()).hasSize(1);
    assertThat(n2.receiveMessage().messages()).hasSize(1);
  }

  @Test
  void eachNodeHasItsOwnOutbox() {
    mailer.send(new ReplicaId("g1", "n2"), heartbeat(1));
    mailer.send(new ReplicaId("g1", "n3"), heartbeat(1));
    mailer.send(new ReplicaId("g2", "n3"), heartbeat(1));

    assertThat(flushes).hasSize(2);
    runFlushes();
    assertThat(n2.receiveMessage().messages()).extracting(PeerBatch.Addressed::group).containsExactly("g1");
    assertThat(n3.receiveMessage().messages()).extracting(PeerBatch.Addressed::group).containsExactly("g1", "g2");
  }

  @Test
  void messagesToThisNodeGoDirectlyWithoutWaitingForAFlush() {
    mailer.send(new ReplicaId("g1", "n1"), heartbeat(1));

    assertThat(flushes).isEmpty();
    assertThat(sentDirectly).containsExactly("g1@n1");
  }

  @Test
  void messagesToANodeWithoutAKnownInboxGoDirectlyOneByOne() {
    mailer.send(new ReplicaId("g1", "n4"), heartbeat(1));
    mailer.send(new ReplicaId("g2", "n4"), heartbeat(1));
    runFlushes();

    assertThat(sentDirectly).containsExactly("g1@n4", "g2@n4");
    assertThat(mailer.batches()).isZero();
  }

  @Test
  void aBeaconRidesWithTheRaftMessagesToItsNodeAndIsDroppedWhereNoInboxIsKnown() {
    mailer.send(new ReplicaId("g1", "n2"), heartbeat(1));
    mailer.sendBeacon("n2");
    mailer.sendBeacon("n4");

    runFlushes();

    PeerBatch batch = n2.receiveMessage();
    assertThat(batch.messages()).hasSize(2);
    assertThat(batch.messages().get(1)).isEqualTo(new PeerBatch.Addressed(NodeBeacon.NO_GROUP, new NodeBeacon("n1")));
    assertThat(sentDirectly).as("a beacon has no replica to go to").isEmpty();
  }

  private void runFlushes() {
    for (Runnable flush = flushes.poll(); flush != null; flush = flushes.poll()) {
      flush.run();
    }
  }

  private static ReplicaProtocol.Command heartbeat(long term) {
    return new PeerMessage.AppendEntries(term, "n1", 0, 0, List.of(), 0, 1);
  }
}
