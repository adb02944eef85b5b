package io.raftring.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hash tags as Redis Cluster defines them: the first '{', the first '}' after it, something between. */
class HashTagTest {

  @Test
  void theTagIsWhatIsBetweenTheFirstOpeningBraceAndTheFirstClosingOneAfterIt() {
    assertThat(HashTag.of("user:{42}:name")).isEqualTo("42");
    assertThat(HashTag.of("{a}{b}")).isEqualTo("a");
    assertThat(HashTag.of("x{a{b}c}")).isEqualTo("a{b");
    assertThat(HashTag.of("}{a}")).isEqualTo("a");
  }

  @Test
  void aKeyWithoutACompleteNonEmptyTagHasNone() {
    assertThat(HashTag.of("plain")).isNull();
    assertThat(HashTag.of("{}x")).isNull();
    assertThat(HashTag.of("{open")).isNull();
    assertThat(HashTag.placementKeyOf("{}x")).isEqualTo("{}x");
  }

  @Test
  void keysWithTheSameTagShareAGroup() {
    GroupPlacement placement = GroupPlacement.of(64, 3, 16, List.of("n1", "n2", "n3"));

    String group = placement.groupOf("account:{alice}:balance");

    for (String key : List.of("{alice}", "history:{alice}:1", "{alice}x{bob}")) {
      assertThat(placement.groupOf(key)).as(key).isEqualTo(group);
    }
  }

  @Test
  void aPrefixPinsItsKeysToOneGroupOnlyWhenItHoldsAWholeTag() {
    assertThat(HashTag.pinsPrefix("_locks/{jobs}/")).isTrue();
    assertThat(HashTag.pinsPrefix("_locks/{jobs")).isFalse();
    assertThat(HashTag.pinsPrefix("_locks/")).isFalse();
  }
}
