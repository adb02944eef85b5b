package io.raftring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.ring.GroupPlacement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which keys a watch sees, and which groups it must follow for them. */
class WatchFilterTest {

  private final GroupPlacement placement = GroupPlacement.of(8, 3, 16, List.of("n1", "n2", "n3"));

  @Test
  void aKeyWatchMatchesOnlyThatKey() {
    WatchFilter filter = WatchFilter.key("app/x");

    assertThat(filter.matches("app/x")).isTrue();
    assertThat(filter.matches("app/xy")).isFalse();
    assertThat(filter.matches("app/")).isFalse();
  }

  @Test
  void aPrefixWatchMatchesEveryKeyStartingWithItAndTheEmptyPrefixMatchesAll() {
    assertThat(WatchFilter.prefix("app/").matches("app/x")).isTrue();
    assertThat(WatchFilter.prefix("app/").matches("app")).isFalse();
    assertThat(WatchFilter.prefix("app/").matches("other/app/x")).isFalse();
    assertThat(WatchFilter.prefix("").matches("anything")).isTrue();
  }

  @Test
  void aKeyIsFollowedInItsGroupAndAPrefixInEveryGroup() {
    assertThat(WatchFilter.key("k").groups(placement.groups(), placement::groupOf))
        .containsExactly(placement.groupOf("k"));
    assertThat(WatchFilter.prefix("app/").groups(placement.groups(), placement::groupOf))
        .isEqualTo(placement.groups());
  }

  @Test
  void aPrefixHoldingAWholeHashTagIsFollowedInTheTagsGroupOnly() {
    String group = placement.groupOf("_locks/{jobs}/1");

    assertThat(WatchFilter.prefix("_locks/{jobs}/").groups(placement.groups(), placement::groupOf))
        .containsExactly(group);
    assertThat(placement.groupOf("_locks/{jobs}/2")).isEqualTo(group);
    // An open tag does not pin the keys that start with it.
    assertThat(WatchFilter.prefix("_locks/{jo").groups(placement.groups(), placement::groupOf)).hasSize(8);
  }

  @Test
  void anEmptyKeyIsNoWatch() {
    assertThatThrownBy(() -> WatchFilter.key("")).isInstanceOf(IllegalArgumentException.class);
  }
}
