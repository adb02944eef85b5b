package io.raftring.kv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The page of a range whose keys live in many groups, merged from one page per group of the same range.
 *
 * <p>Each group's page holds every key of that group from the range's start up to its own next-page key. Below the
 * smallest of those next-page keys, then, every group has said everything, and the merged page may hold any of
 * those keys; at or above it some group may still have keys it did not send. So the merged page takes keys below
 * that cut in order, up to the range's limit and {@link KvQuery.Range#MAX_PAGE_BYTES}, and its next-page key is the
 * first key it left out, or the cut. The next page then starts past every key returned and before every key not
 * returned: following pages returns each key once, in order. A page is never empty while keys remain, because the
 * group whose next-page key is the cut returned at least one key below it.
 */
public final class RangePages {

  private RangePages() {}

  /** Merges {@code pages}, each a page of {@code range} from one group. */
  public static KvResult.RangePage merge(KvQuery.Range range, List<KvResult.RangePage> pages) {
    Optional<String> cut = Optional.empty();
    long revision = 0;
    for (KvResult.RangePage page : pages) {
      revision = Math.max(revision, page.revision());
      if (page.nextPageToken().isPresent()) {
        String next = KvPageToken.decode(page.nextPageToken().get());
        if (cut.isEmpty() || KeyOrder.UTF8.compare(next, cut.get()) < 0) {
          cut = Optional.of(next);
        }
      }
    }
    List<KeyValue> complete = new ArrayList<>();
    for (KvResult.RangePage page : pages) {
      for (KeyValue keyValue : page.keyValues()) {
        if (cut.isEmpty() || KeyOrder.UTF8.compare(keyValue.key(), cut.get()) < 0) {
          complete.add(keyValue);
        }
      }
    }
    complete.sort(Comparator.comparing(KeyValue::key, KeyOrder.UTF8));

    List<KeyValue> merged = new ArrayList<>(Math.min(complete.size(), range.limit()));
    long pageBytes = 0;
    Optional<String> next = cut;
    for (KeyValue keyValue : complete) {
      long entryBytes = KvQuery.Range.pageBytes(keyValue);
      if (merged.size() == range.limit()
          || (!merged.isEmpty() && pageBytes + entryBytes > KvQuery.Range.MAX_PAGE_BYTES)) {
        next = Optional.of(keyValue.key());
        break;
      }
      merged.add(keyValue);
      pageBytes += entryBytes;
    }
    return new KvResult.RangePage(merged, next.map(KvPageToken::encode), revision);
  }
}
