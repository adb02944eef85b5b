package io.raftring.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.KeyValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A lock's queue: the oldest key (smallest create revision) owns it; each waiter waits for the key just ahead. */
class QueueOrderTest {

  private static KeyValue key(String lease, long createRevision) {
    return new KeyValue("_locks/{job}/" + lease, new byte[0], createRevision, createRevision + 3, 2);
  }

  // Key order (by lease) differs from arrival order (by create revision) on purpose.
  private final List<KeyValue> queue = List.of(key("00a", 30), key("00b", 10), key("00c", 20));

  @Test
  void theOldestKeyOwnsTheQueueAndItsCreateRevisionIsTheFencingToken() {
    assertThat(QueueOrder.standing(queue, "_locks/{job}/00b"))
        .isEqualTo(new QueueOrder.Owner(key("00b", 10)));
    assertThat(QueueOrder.owner(queue)).contains(key("00b", 10));
  }

  @Test
  void aWaiterWaitsForTheKeyJustAheadOfItNotForTheOwner() {
    assertThat(QueueOrder.standing(queue, "_locks/{job}/00a"))
        .isEqualTo(new QueueOrder.Waiting(key("00a", 30), key("00c", 20), 2));
    assertThat(QueueOrder.standing(queue, "_locks/{job}/00c"))
        .isEqualTo(new QueueOrder.Waiting(key("00c", 20), key("00b", 10), 1));
  }

  @Test
  void aKeyThatLeftTheQueueIsGoneAndAnEmptyQueueHasNoOwner() {
    assertThat(QueueOrder.standing(queue, "_locks/{job}/00d")).isInstanceOf(QueueOrder.Gone.class);
    assertThat(QueueOrder.owner(List.of())).isEmpty();
  }
}
