package io.raftring.watch;

import static io.raftring.watch.TestEvents.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.api.RaftRingException;
import io.raftring.kv.KvEvent;
import io.raftring.watch.WatchPosition.At;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A watch's position: a vector of per-group revisions, an opaque token, and exactly-once delivery across resumes. */
class WatchPositionTest {

  @Test
  void aTokenRoundTripsEveryGroupsRevisionAndSkip() {
    WatchPosition position = WatchPosition.of(Map.of("g0", At.of(15), "g3", new At(20, 2), "g10", At.of(0)));

    WatchPosition parsed = WatchPosition.parse(position.token());

    assertThat(parsed).isEqualTo(position);
    assertThat(parsed.at("g3")).isEqualTo(new At(20, 2));
    assertThat(parsed.at("g1")).isNull();
    assertThat(position.token()).matches("1[A-Za-z0-9_-]+");
  }

  @Test
  void anythingATokenWasNotIsABadRequest() {
    for (String bad : List.of("", "1", "2abc", "1%%%", "1" + b64("g0"), "1" + b64("g0:x"), "1" + b64("g0:-1"),
        "1" + b64("g0:1;g0:2"), "1" + b64("g 0:1"), "1" + b64("g0:1+-2"))) {
      assertThatThrownBy(() -> WatchPosition.parse(bad)).as(bad)
          .isInstanceOf(RaftRingException.class).hasMessageContaining("malformed watch position");
    }
  }

  private static String b64(String s) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachEventCarriesThePositionRightAfterIt() {
    WatchPosition.Delivery delivery = WatchPosition.deliver(At.of(4), List.of(put("a", 5), put("b", 7)), 9);

    assertThat(delivery.steps()).extracting(WatchPosition.Step::after).containsExactly(At.of(5), At.of(7));
    assertThat(delivery.end()).isEqualTo(At.of(9));
  }

  @Test
  void aPositionInsideARevisionResumesWithoutRepeatingOrLosingItsEvents() {
    // Three events of one revision (a transaction); the client got the first two, then the connection dropped.
    List<KvEvent> revisionSix = List.of(put("a", 6), put("b", 6), put("c", 6));
    WatchPosition.Delivery first = WatchPosition.deliver(At.of(5), revisionSix, 6);
    At afterTwo = first.steps().get(1).after();
    assertThat(afterTwo).isEqualTo(new At(5, 2));
    assertThat(first.steps().get(2).after()).isEqualTo(At.of(6));

    // Resuming there, the source reads after revision 5 again: only "c" is new.
    WatchPosition.Delivery resumed = WatchPosition.deliver(afterTwo, revisionSix, 6);

    assertThat(resumed.steps()).extracting(step -> step.event().key()).containsExactly("c");
    assertThat(resumed.end()).isEqualTo(At.of(6));
  }

  @Test
  void nothingNewStillMovesThePositionToWhatTheSourceHasApplied() {
    assertThat(WatchPosition.deliver(At.of(3), List.of(), 40).end()).isEqualTo(At.of(40));
  }
}
