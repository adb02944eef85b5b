package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Version vectors: comparison, merge, and the compact encoding a client's context carries. */
class VersionVectorTest {

  private static VersionVector vv(Object... actorsAndCounters) {
    Map<String, Long> counters = new java.util.HashMap<>();
    for (int i = 0; i < actorsAndCounters.length; i += 2) {
      counters.put((String) actorsAndCounters[i], ((Number) actorsAndCounters[i + 1]).longValue());
    }
    return VersionVector.of(counters);
  }

  @Test
  void aVectorThatSawMoreOfOneActorAndNoLessOfAnyIsAfter() {
    assertThat(vv("a", 2, "b", 1).compare(vv("a", 1, "b", 1))).isEqualTo(Causality.AFTER);
    assertThat(vv("a", 1).compare(vv("a", 1, "b", 1))).isEqualTo(Causality.BEFORE);
    assertThat(vv("a", 1, "b", 1).compare(vv("b", 1, "a", 1))).isEqualTo(Causality.EQUAL);
    assertThat(VersionVector.EMPTY.compare(vv("a", 1))).isEqualTo(Causality.BEFORE);
  }

  @Test
  void vectorsThatEachSawSomethingTheOtherDidNotAreConcurrent() {
    assertThat(vv("a", 2, "b", 1).compare(vv("a", 1, "b", 2))).isEqualTo(Causality.CONCURRENT);
    assertThat(vv("a", 1).compare(vv("b", 1))).isEqualTo(Causality.CONCURRENT);
  }

  @Test
  void mergeIsThePointwiseMaximumAndDescendsFromBoth() {
    VersionVector x = vv("a", 3, "c", 1);
    VersionVector y = vv("a", 1, "b", 2);
    VersionVector merged = x.merge(y);
    assertThat(merged).isEqualTo(vv("a", 3, "b", 2, "c", 1));
    assertThat(merged.descends(x)).isTrue();
    assertThat(merged.descends(y)).isTrue();
    assertThat(x.merge(y)).isEqualTo(y.merge(x));
    assertThat(merged.merge(x)).isEqualTo(merged);
  }

  @Test
  void aDotIsCoveredOnceItsActorsCounterReachedIt() {
    VersionVector v = vv("a", 3);
    assertThat(v.covers(new Dot("a", 3))).isTrue();
    assertThat(v.covers(new Dot("a", 4))).isFalse();
    assertThat(v.covers(new Dot("b", 1))).isFalse();
    assertThat(v.with(new Dot("b", 5)).counterOf("b")).isEqualTo(5);
    assertThat(v.with(new Dot("a", 2))).isSameAs(v);
  }

  @Test
  void theEncodingRoundTripsAndRefusesUnsortedOrZeroEntries() {
    VersionVector v = vv("n1.x", 7, "n2.y", 300_000);
    assertThat(VersionVector.fromBytes(v.toBytes())).isEqualTo(v);
    assertThat(VersionVector.fromBytes(VersionVector.EMPTY.toBytes())).isEqualTo(VersionVector.EMPTY);
    io.raftring.wire.WireWriter unsorted = io.raftring.wire.WireWriter.growing(16);
    unsorted.writeVarLong(2);
    unsorted.writeBytes("b".getBytes());
    unsorted.writeVarLong(1);
    unsorted.writeBytes("a".getBytes());
    unsorted.writeVarLong(1);
    assertThatThrownBy(() -> VersionVector.fromBytes(unsorted.toByteArray()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VersionVector.fromBytes(new byte[] {5})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCausalContextIsOpaqueBase64AndBoundedInSize() {
    VersionVector v = vv("n1.abc", 12);
    String context = CausalContext.encode(v);
    assertThat(context).matches("[A-Za-z0-9_-]+");
    assertThat(CausalContext.decode(context, 100)).isEqualTo(v);
    assertThat(CausalContext.decode("", 100)).isEqualTo(VersionVector.EMPTY);
    assertThatThrownBy(() -> CausalContext.decode(context, 3)).hasMessageContaining("limit");
    assertThatThrownBy(() -> CausalContext.decode("!!!", 100)).hasMessageContaining("base64");
    assertThatThrownBy(() -> CausalContext.decode("AAAA", 100)).hasMessageContaining("not one this keyspace made");
  }
}
