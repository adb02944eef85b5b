package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Ranges by prefix and by [from, to): key order, limits, and paging that neither skips nor repeats keys. */
class KvRangeTest {

  private final KvStateMachine machine = new KvStateMachine();

  private void put(String... keys) {
    for (String key : keys) {
      machine.apply(new KvCommand.Put(key, bytes("v-" + key)));
    }
  }

  private KvResult.RangePage range(KvQuery query) {
    return (KvResult.RangePage) machine.query(query);
  }

  private static List<String> keysOf(KvResult.RangePage page) {
    return page.keyValues().stream().map(KeyValue::key).collect(Collectors.toList());
  }

  /** Follows next-page tokens to the end, collecting every key returned. */
  private List<String> allPages(KvQuery.Range first) {
    List<String> keys = new ArrayList<>();
    KvQuery.Range query = first;
    for (int pages = 0; pages < 1_000_000; pages++) {
      KvResult.RangePage page = range(query);
      keys.addAll(keysOf(page));
      if (!page.more()) {
        return keys;
      }
      query = query.withPageToken(page.nextPageToken().orElseThrow());
    }
    throw new AssertionError("paging did not end");
  }

  @Test
  void prefixReturnsOnlyKeysWithThePrefixInOrder() {
    put("app/b", "app/a", "ap", "apple", "app/c/d", "b", "app");

    KvResult.RangePage page = range(new KvQuery.Prefix("app/", 100));

    assertThat(keysOf(page)).containsExactly("app/a", "app/b", "app/c/d");
    assertThat(page.more()).isFalse();
    assertThat(page.nextPageToken()).isEmpty();
    assertThat(page.revision()).isEqualTo(7);
    assertThat(page.keyValues().get(0)).isEqualTo(new KeyValue("app/a", bytes("v-app/a"), 2, 2, 1));
  }

  @Test
  void theEmptyPrefixReturnsEveryKey() {
    put("c", "a", "b");

    assertThat(keysOf(range(new KvQuery.Prefix("", 10)))).containsExactly("a", "b", "c");
  }

  @Test
  void betweenIncludesFromAndExcludesTo() {
    put("a", "b", "c", "d", "e");

    assertThat(keysOf(range(new KvQuery.Between("b", "d", 10)))).containsExactly("b", "c");
    assertThat(keysOf(range(new KvQuery.Between("bb", "dd", 10)))).containsExactly("c", "d");
  }

  @Test
  void betweenWithAnEmptyToHasNoUpperBound() {
    put("a", "b", "c");

    assertThat(keysOf(range(new KvQuery.Between("b", "", 10)))).containsExactly("b", "c");
    assertThat(keysOf(range(new KvQuery.Between("", "", 10)))).containsExactly("a", "b", "c");
  }

  @Test
  void anEmptyOrInvertedIntervalReturnsNothing() {
    put("a", "b", "c");

    assertThat(range(new KvQuery.Between("b", "b", 10)).keyValues()).isEmpty();
    assertThat(range(new KvQuery.Between("c", "a", 10)).keyValues()).isEmpty();
    assertThat(range(new KvQuery.Prefix("zzz", 10)).keyValues()).isEmpty();
  }

  @Test
  void aLimitCutsThePageAndTheTokenNamesTheNextKey() {
    put("a", "b", "c", "d");

    KvResult.RangePage first = range(new KvQuery.Prefix("", 2));

    assertThat(keysOf(first)).containsExactly("a", "b");
    assertThat(first.more()).isTrue();
    assertThat(KvPageToken.decode(first.nextPageToken().orElseThrow())).isEqualTo("c");

    KvResult.RangePage second = range(new KvQuery.Prefix("", 2, first.nextPageToken()));
    assertThat(keysOf(second)).containsExactly("c", "d");
    assertThat(second.more()).isFalse();
  }

  @Test
  void aPageThatEndsExactlyAtTheLastKeySaysThereIsNoMore() {
    put("a", "b", "outside");

    KvResult.RangePage page = range(new KvQuery.Between("a", "c", 2));

    assertThat(keysOf(page)).containsExactly("a", "b");
    assertThat(page.more()).isFalse();
  }

  @Test
  void pagingByPrefixOverManyKeysVisitsEachKeyExactlyOnceInOrder() {
    TreeSet<String> expected = new TreeSet<>();
    for (int i = 0; i < 2_500; i++) {
      String key = String.format("user/%05d", (i * 7919) % 2_500);
      put(key);
      expected.add(key);
    }
    put("user", "users/x", "usea");

    List<String> seen = allPages(new KvQuery.Prefix("user/", 37));

    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void pagingBetweenBoundsOverManyKeysVisitsEachKeyExactlyOnceInOrder() {
    for (int i = 0; i < 3_000; i++) {
      put(String.format("k%04d", i));
    }

    List<String> seen = allPages(new KvQuery.Between("k0100", "k2900", 101));

    assertThat(seen).hasSize(2_800).doesNotHaveDuplicates().isSorted();
    assertThat(seen.get(0)).isEqualTo("k0100");
    assertThat(seen.get(seen.size() - 1)).isEqualTo("k2899");
  }

  @Test
  void writesBetweenPagesNeitherSkipNorRepeatKeysThatStayedThroughout() {
    for (int i = 0; i < 100; i++) {
      put(String.format("k%03d", i));
    }
    KvQuery.Range query = new KvQuery.Prefix("k", 10);
    List<String> seen = new ArrayList<>();
    int round = 0;
    while (true) {
      KvResult.RangePage page = range(query);
      seen.addAll(keysOf(page));
      if (!page.more()) {
        break;
      }
      String next = KvPageToken.decode(page.nextPageToken().orElseThrow());
      // Before the next page: a key behind the cursor appears, and the very key the token names is deleted.
      put(String.format("k%03d-behind-%d", round, round));
      machine.apply(new KvCommand.Delete(next));
      query = query.withPageToken(page.nextPageToken().orElseThrow());
      round++;
    }

    assertThat(seen).doesNotHaveDuplicates().isSorted();
    List<String> survivors = new ArrayList<>(machine.entries().keySet());
    survivors.removeIf(key -> key.contains("-behind-"));
    assertThat(seen).containsAll(survivors);
  }

  @Test
  void aLimitAboveTheMaximumIsCappedToIt() {
    for (int i = 0; i < KvQuery.Range.MAX_LIMIT + 5; i++) {
      put(String.format("k%06d", i));
    }

    KvQuery.Prefix query = new KvQuery.Prefix("k", 1_000_000);
    KvResult.RangePage page = range(query);

    assertThat(query.limit()).isEqualTo(KvQuery.Range.MAX_LIMIT);
    assertThat(page.keyValues()).hasSize(KvQuery.Range.MAX_LIMIT);
    assertThat(page.more()).isTrue();
  }

  @Test
  void aPageStopsEarlyWhenItsValuesPassTheByteBudgetButAlwaysHoldsOneKey() {
    byte[] threeMiB = new byte[3 << 20];
    machine.apply(new KvCommand.Put("a", threeMiB));
    machine.apply(new KvCommand.Put("b", threeMiB));
    machine.apply(new KvCommand.Put("c", threeMiB));

    List<String> seen = new ArrayList<>();
    KvQuery.Range query = new KvQuery.Prefix("", 100);
    int pages = 0;
    while (true) {
      KvResult.RangePage page = range(query);
      assertThat(page.keyValues()).hasSize(1);
      seen.addAll(keysOf(page));
      pages++;
      if (!page.more()) {
        break;
      }
      query = query.withPageToken(page.nextPageToken().orElseThrow());
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("a", "b", "c");
  }

  @Test
  void keysAreOrderedByTheirUtf8BytesNotByJavaChars() {
    String replacementChar = "\uFFFD"; // UTF-8 EF BF BD
    String emoji = "\uD83D\uDE00"; // U+1F600, UTF-8 F0 9F 98 80; as UTF-16 it would sort first
    put(emoji, replacementChar, "z");

    assertThat(keysOf(range(new KvQuery.Prefix("", 10)))).containsExactly("z", replacementChar, emoji);
    assertThat(keysOf(range(new KvQuery.Between("\uE000", "", 10)))).containsExactly(replacementChar, emoji);
  }

  @Test
  void aTokenOutsideTheRangeYieldsNothingBeyondTheRange() {
    put("a1", "a2", "b1");

    KvResult.RangePage page = range(new KvQuery.Prefix("a", 10, Optional.of(KvPageToken.encode("b"))));

    assertThat(page.keyValues()).isEmpty();
    assertThat(page.more()).isFalse();
  }

  @Test
  void aTokenBeforeTheRangeStartsTheRangeAtItsOwnStart() {
    put("a", "m1", "m2", "z");

    String early = KvPageToken.encode("a");

    assertThat(keysOf(range(new KvQuery.Prefix("m", 10, Optional.of(early))))).containsExactly("m1", "m2");
    assertThat(keysOf(range(new KvQuery.Between("m", "n", 10, Optional.of(early))))).containsExactly("m1", "m2");
  }

  @Test
  void aMalformedPageTokenIsABadRequest() {
    assertThatThrownBy(() -> new KvQuery.Prefix("a", 10, Optional.of("not a token")))
        .isInstanceOfSatisfying(KvValidationException.class,
            e -> assertThat(e.code()).isEqualTo(KvErrorCode.BAD_REQUEST));
    assertThatThrownBy(() -> KvPageToken.decode("1" + "////"))
        .isInstanceOf(KvValidationException.class);
  }

  @Test
  void aLimitBelowOneIsABadRequest() {
    assertThatThrownBy(() -> new KvQuery.Between("a", "b", 0))
        .isInstanceOfSatisfying(KvValidationException.class,
            e -> assertThat(e.code()).isEqualTo(KvErrorCode.BAD_REQUEST));
  }

  @Test
  void pageTokensRoundTripAnyKeyAndAreUrlSafe() {
    for (String key : List.of("a", "user/42", "ключ", "\uD83D\uDE00 emoji", "with space?&=/")) {
      String token = KvPageToken.encode(key);
      assertThat(token).matches("[A-Za-z0-9_-]+");
      assertThat(KvPageToken.decode(token)).isEqualTo(key);
    }
  }
}
