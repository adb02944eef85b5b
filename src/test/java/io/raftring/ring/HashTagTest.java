package io.raftring.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashTagTest {

  private static final GroupPlacement PLACEMENT = GroupPlacement.of(64, 3, 128, List.of("n1", "n2", "n3"));

  @Test
  void theTagIsWhatLiesBetweenTheFirstOpeningBraceAndTheFirstClosingBraceAfterIt() {
    assertThat(HashTag.of("{user42}/profile")).contains("user42");
    assertThat(HashTag.of("orders/{user42}/7")).contains("user42");
    assertThat(HashTag.of("{a}{b}")).contains("a");
    assertThat(HashTag.of("{a{b}c}")).contains("a{b");
  }

  @Test
  void aKeyWithoutAClosedNonEmptyTagHasNone() {
    assertThat(HashTag.of("plain")).isEmpty();
    assertThat(HashTag.of("a{}b")).isEmpty();
    assertThat(HashTag.of("a}b{c")).isEmpty();
    assertThat(HashTag.of("{open")).isEmpty();
  }

  @Test
  void keysSharingATagShareAGroup() {
    Set<String> groups = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      groups.add(PLACEMENT.groupOf("{acct}/" + i));
    }
    assertThat(groups).containsExactly(PLACEMENT.groupOf("acct"));
  }

  @Test
  void keysWithoutTagsStillSpreadOverTheGroups() {
    Set<String> groups = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      groups.add(PLACEMENT.groupOf("acct/" + i));
    }
    assertThat(groups).hasSizeGreaterThan(50);
  }

  @Test
  void aPrefixPinsItsKeysToOneGroupOnlyWhenItHoldsAWholeTag() {
    assertThat(HashTag.pinsPrefix("_locks/{jobs}/")).isTrue();
    assertThat(HashTag.pinsPrefix("_locks/{jobs")).isFalse();
    assertThat(HashTag.pinsPrefix("_locks/")).isFalse();
  }

  @Test
  void aKeyWithABraceBeforeItsTagIsPlacedByTheTag() {
    assertThat(HashTag.of("}{a}")).contains("a");
    assertThat(HashTag.routingKey("{}x")).isEqualTo("{}x");
  }
}
