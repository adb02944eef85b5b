package io.raftring.watch;

import static io.raftring.watch.TestEvents.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.KvEvent;
import io.raftring.kv.KvListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** How the node's feed hears that a group's history grew: once per burst, and never not at all. */
class NodeHistoriesTest {

  private final NodeHistories histories =
      new NodeHistories(new GroupHistory.Limits(100, 1 << 20, Duration.ofMinutes(1)), () -> 0L);
  private final List<String> told = new CopyOnWriteArrayList<>();

  @Test
  void aBurstOfAppendsIsToldOnceUntilTheFeedLooked() {
    histories.notifyTo(told::add);
    KvListener g0 = histories.listenerFor("g0");

    g0.applied(1, List.of(put("a", 1)), List.of());
    g0.applied(2, List.of(put("a", 2)), List.of());
    assertThat(told).containsExactly("g0");

    histories.looked("g0");
    g0.applied(3, List.of(put("a", 3)), List.of());
    assertThat(told).containsExactly("g0", "g0");
  }

  /** Replicas start before the feed's actor registers: what they applied before must still reach it. */
  @Test
  void appendsBeforeTheFeedRegisteredAreToldWhenItDoes() {
    KvListener g0 = histories.listenerFor("g0");
    KvListener g1 = histories.listenerFor("g1");
    g0.applied(1, List.of(put("a", 1)), List.of());

    histories.notifyTo(told::add);
    assertThat(told).as("only the group that applied something").containsExactly("g0");

    histories.looked("g0");
    g0.applied(2, List.of(put("a", 2)), List.of());
    g1.applied(1, List.of(put("b", 1)), List.of());
    assertThat(told).containsExactly("g0", "g0", "g1");
  }
}
