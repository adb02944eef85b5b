package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A range across groups, merged on the answering node from one page per group ({@link RangePages}), each group a
 * real {@link KvStateMachine}: following the pages returns every key exactly once, in order, and no page grows past
 * {@link KvQuery.Range#MAX_PAGE_BYTES} (after its first key).
 */
class RangePagesTest {

  private static final int MIB = 1 << 20;

  /** The groups of a keyspace, each key in the group its function names. */
  private static final class Groups {
    final List<KvStateMachine> machines = new ArrayList<>();
    final Function<String, Integer> groupOf;

    Groups(int count, Function<String, Integer> groupOf) {
      for (int i = 0; i < count; i++) {
        machines.add(new KvStateMachine());
      }
      this.groupOf = groupOf;
    }

    void put(String key, byte[] value) {
      machines.get(groupOf.apply(key)).apply(new KvCommand.Put(key, value));
    }

    KvResult.RangePage page(KvQuery.Range range) {
      List<KvResult.RangePage> pages = new ArrayList<>();
      for (KvStateMachine machine : machines) {
        pages.add((KvResult.RangePage) machine.query(range));
      }
      return RangePages.merge(range, pages);
    }

    /** Every page of {@code first}, following the tokens; fails if the pages do not end. */
    List<KvResult.RangePage> follow(KvQuery.Range first) {
      List<KvResult.RangePage> pages = new ArrayList<>();
      KvQuery.Range range = first;
      for (int i = 0; i < 100_000; i++) {
        KvResult.RangePage page = page(range);
        pages.add(page);
        if (!page.more()) {
          return pages;
        }
        range = range.withPageToken(page.nextPageToken().orElseThrow());
      }
      throw new AssertionError("paging did not end");
    }
  }

  private static List<String> keysOf(List<KvResult.RangePage> pages) {
    return pages.stream().flatMap(p -> p.keyValues().stream()).map(KeyValue::key).toList();
  }

  private static void assertEveryPageWithinTheByteBound(List<KvResult.RangePage> pages) {
    for (KvResult.RangePage page : pages) {
      assertThat(page.keyValues()).isNotEmpty();
      long bytes = page.keyValues().stream().mapToLong(KvQuery.Range::pageBytes).sum();
      long first = KvQuery.Range.pageBytes(page.keyValues().get(0));
      assertThat(bytes).isLessThanOrEqualTo(Math.max(first, KvQuery.Range.MAX_PAGE_BYTES));
    }
  }

  @Test
  void bigValuesInOneGroupAndSmallKeysInOthersComeBackOnceEachInOrder() {
    // Issue 14's recipe: 16 groups, five 1 MiB values pg/010..035 in one group, thirty small keys pg/500..529 spread
    // over the others; following prefix=pg/ with limit 1000 returned 63 keys, 35 distinct.
    Groups groups = new Groups(16, key -> key.compareTo("pg/500") < 0 ? 0 : 1 + Math.floorMod(key.hashCode(), 15));
    List<String> expected = new ArrayList<>();
    for (String key : List.of("pg/010", "pg/015", "pg/020", "pg/030", "pg/035")) {
      groups.put(key, new byte[MIB]);
      expected.add(key);
    }
    for (int i = 500; i < 530; i++) {
      groups.put("pg/" + i, bytes("small-" + i));
      expected.add("pg/" + i);
    }

    List<KvResult.RangePage> pages = groups.follow(new KvQuery.Prefix("pg/", 1000));

    assertThat(keysOf(pages)).containsExactlyElementsOf(expected);
    assertThat(pages).hasSizeGreaterThan(1);
    assertEveryPageWithinTheByteBound(pages);
  }

  @Test
  void aMergedPageOfManyGroupsOfBigValuesStaysWithinTheByteBound() {
    // Each group's own page may hold about 4 MiB; sixteen of them made one merged page of 12.6 MB of JSON.
    Groups groups = new Groups(16, key -> Integer.parseInt(key.substring(4, 6)));
    List<String> expected = new ArrayList<>();
    for (int g = 0; g < 16; g++) {
      for (int i = 0; i < 3; i++) {
        String key = String.format("big/%02d/%d", g, i);
        groups.put(key, new byte[MIB]);
        expected.add(key);
      }
    }
    expected.sort(KeyOrder.UTF8);

    List<KvResult.RangePage> pages = groups.follow(new KvQuery.Prefix("big/", 10_000));

    assertThat(keysOf(pages)).containsExactlyElementsOf(expected);
    assertEveryPageWithinTheByteBound(pages);
    // Base64 of three 1 MiB values plus their JSON is 4.2 MB: at most two fit under the bound.
    assertThat(pages).allSatisfy(p -> assertThat(p.keyValues().size()).isLessThanOrEqualTo(3));
  }

  @Test
  void randomKeyspacesPageThroughEveryKeyOnceInOrder() {
    long seed = Long.getLong("raftring.test.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int trial = 0; trial < 100; trial++) {
      int groupCount = 1 + random.nextInt(8);
      Groups groups = new Groups(groupCount, key -> Math.floorMod(key.hashCode() * 31 + 7, groupCount));
      TreeMap<String, Integer> keys = new TreeMap<>(KeyOrder.UTF8);
      int count = random.nextInt(60);
      for (int i = 0; i < count; i++) {
        String key = "r/" + Integer.toString(random.nextInt(1000), 36) + (random.nextBoolean() ? "/\u00e9" : "");
        int size = random.nextInt(20) == 0 ? MIB + random.nextInt(MIB / 2) : random.nextInt(100);
        keys.put(key, size);
        groups.put(key, new byte[size]);
      }
      int limit = 1 + random.nextInt(12);

      List<KvResult.RangePage> pages = groups.follow(new KvQuery.Prefix("r/", limit));

      String replay = "seed " + seed + " (replay with -Draftring.test.seed=" + seed + "), trial " + trial;
      assertThat(keysOf(pages)).as(replay).containsExactlyElementsOf(keys.keySet());
      assertThat(pages).as(replay).allSatisfy(p -> assertThat(p.keyValues().size()).isLessThanOrEqualTo(limit));
      if (!keys.isEmpty()) {
        assertEveryPageWithinTheByteBound(pages);
      }
    }
  }
}
