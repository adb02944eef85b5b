package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientQueueTest {

  private static final long DEADLINE = Duration.ofMillis(100).toNanos();

  private final ClientQueue<String> queue = new ClientQueue<>(3, DEADLINE);
  private final List<String> overdue = new ArrayList<>();

  @Test
  void requestsGatheredBetweenTwoReadysGoOutTogetherInArrivalOrder() {
    queue.offer("a", 0);
    queue.offer("b", 1);

    assertThat(queue.drain(2, overdue::add)).containsExactly("a", "b");
    assertThat(overdue).isEmpty();
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aRequestThatWaitedItsDeadlineIsRefusedInsteadOfProcessedLate() {
    queue.offer("late", 0);
    queue.offer("fresh", DEADLINE / 2);

    List<String> fresh = queue.drain(DEADLINE, overdue::add);

    assertThat(overdue).containsExactly("late");
    assertThat(fresh).containsExactly("fresh");
  }

  @Test
  void aFullQueueRefusesNewRequestsAtOnce() {
    assertThat(queue.offer("a", 0)).isTrue();
    assertThat(queue.offer("b", 0)).isTrue();
    assertThat(queue.offer("c", 0)).isTrue();

    assertThat(queue.offer("d", 0)).isFalse();
    queue.drain(1, overdue::add);
    assertThat(queue.offer("d", 1)).as("room again once drained").isTrue();
  }

  @Test
  void takeAllReturnsEverythingWhateverItsAge() {
    queue.offer("a", 0);
    queue.offer("b", 0);

    assertThat(queue.takeAll()).containsExactly("a", "b");
    assertThat(queue.size()).isZero();
  }

  @Test
  void theQueueDeadlineIsASettingOf100msByDefault() {
    RaftSettings fromConfig = RaftSettings.fromConfig(ConfigFactory.load().getConfig("raftring.raft"));
    assertThat(fromConfig.clientQueueDeadline()).isEqualTo(Duration.ofMillis(100));
    assertThat(RaftSettings.defaults().clientQueueDeadline()).isEqualTo(Duration.ofMillis(100));
    RaftSettings configured = RaftSettings.fromConfig(ConfigFactory.parseString("client-queue-deadline = 250ms")
        .withFallback(ConfigFactory.load().getConfig("raftring.raft")));
    assertThat(configured.clientQueueDeadline()).isEqualTo(Duration.ofMillis(250));
  }
}
