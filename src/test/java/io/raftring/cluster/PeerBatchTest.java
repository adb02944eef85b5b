package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.raft.LogEntry;
import io.raftring.raft.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a node's outgoing Raft messages are cut into batches that fit remoting's frame. */
class PeerBatchTest {

  @Test
  void smallMessagesOfManyGroupsShareOneBatchInTheOrderTheyWereSent() {
    List<PeerBatch.Addressed> messages = new ArrayList<>();
    for (int g = 0; g < 16; g++) {
      messages.add(new PeerBatch.Addressed("g" + g, heartbeat(g)));
      messages.add(new PeerBatch.Addressed("g" + g, new PeerMessage.TimeoutNow(g, "n1")));
    }

    List<PeerBatch> batches = PeerBatch.pack(messages, PeerMailer.MAX_BATCH_BYTES);

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0).messages()).containsExactlyElementsOf(messages);
  }

  @Test
  void aBatchIsCutBeforeItWouldPassTheByteLimitAndKeepsTheOrder() {
    List<PeerBatch.Addressed> messages = List.of(
        new PeerBatch.Addressed("a", append(400)),
        new PeerBatch.Addressed("b", append(400)),
        new PeerBatch.Addressed("c", append(400)),
        new PeerBatch.Addressed("d", heartbeat(1)));

    List<PeerBatch> batches = PeerBatch.pack(messages, 1_000);

    assertThat(batches).extracting(b -> b.messages().stream().map(PeerBatch.Addressed::group).toList())
        .containsExactly(List.of("a", "b"), List.of("c", "d"));
  }

  @Test
  void aMessageHeavierThanTheLimitStillTravelsAlone() {
    List<PeerBatch.Addressed> messages = List.of(
        new PeerBatch.Addressed("a", heartbeat(1)),
        new PeerBatch.Addressed("b", append(5_000)),
        new PeerBatch.Addressed("c", heartbeat(2)));

    List<PeerBatch> batches = PeerBatch.pack(messages, 1_000);

    assertThat(batches).extracting(b -> b.messages().size()).containsExactly(1, 1, 1);
    assertThat(batches.get(1).messages().get(0).group()).isEqualTo("b");
  }

  @Test
  void entriesAndSnapshotChunksDominateTheEstimate() {
    assertThat(PeerBatch.estimatedBytes(heartbeat(1))).isEqualTo(PeerBatch.SMALL_MESSAGE_BYTES);
    assertThat(PeerBatch.estimatedBytes(append(1_000)))
        .isEqualTo(PeerBatch.SMALL_MESSAGE_BYTES + 1_000 + LogEntry.command(1, 1, new byte[0]).sizeBytes());
    PeerMessage.InstallSnapshot chunk =
        new PeerMessage.InstallSnapshot(1, "n1", 10, 1, Set.of("n1"), 70_000, 0, 0, new byte[65_536], false);
    assertThat(PeerBatch.estimatedBytes(chunk)).isEqualTo(PeerBatch.SMALL_MESSAGE_BYTES + 65_536);
  }

  private static PeerMessage.AppendEntries heartbeat(long term) {
    return new PeerMessage.AppendEntries(term, "n1", 0, 0, List.of(), 0, 1);
  }

  private static PeerMessage.AppendEntries append(int valueBytes) {
    return new PeerMessage.AppendEntries(1, "n1", 0, 0, List.of(LogEntry.command(1, 1, new byte[valueBytes])), 0, 1);
  }
}
