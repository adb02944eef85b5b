package io.raftring.kv;

import java.util.Objects;
import java.util.Optional;

/** A read against the applied state, answered by {@link KvStateMachine#query}; never changes state. */
public sealed interface KvQuery permits KvQuery.Get, KvQuery.Range, KvQuery.Export {

  /** The key's value and revisions: {@link KvResult.Found} or {@link KvResult.NotFound}. */
  record Get(String key) implements KvQuery {
    public Get {
      KeyChecks.requireKey(key, "key");
    }
  }

  /**
   * A page of keys in UTF-8 byte order, answered by {@link KvResult.RangePage}. A page holds at most {@link #limit()}
   * keys and stops early, with at least one key, once its {@link #pageBytes} pass {@link #MAX_PAGE_BYTES}; follow
   * {@link KvResult.RangePage#nextPageToken()} with {@link #withPageToken} for the next page.
   */
  sealed interface Range extends KvQuery permits Prefix, Between {

    /** The most keys one page returns; a larger limit is capped to it. */
    int MAX_LIMIT = 10_000;

    /**
     * A page stops growing, after its first key, once {@link #pageBytes} of its keys would pass this (4 MiB): the
     * size of the HTTP API's JSON page, and well within Artery's 4 MiB frame for the binary page between nodes.
     */
    long MAX_PAGE_BYTES = 4L << 20;

    /** Bytes of JSON around one key-value in a page: field names, quotes, three revisions. */
    int ENTRY_OVERHEAD_BYTES = 128;

    /**
     * What one key-value adds to a page: its key's UTF-8, its value in base64 (as the HTTP API sends it; the binary
     * form between nodes is about three quarters of that) and {@link #ENTRY_OVERHEAD_BYTES}.
     */
    static long pageBytes(KeyValue keyValue) {
      long base64 = 4L * ((keyValue.valueLength() + 2L) / 3);
      return StrictUtf8.encodedLength(keyValue.key()) + base64 + ENTRY_OVERHEAD_BYTES;
    }

    int limit();

    /** Where this page starts, from the previous page's {@link KvResult.RangePage#nextPageToken()}. */
    Optional<String> pageToken();

    /** The same range, continuing at {@code token}. */
    Range withPageToken(String token);
  }

  /** Keys starting with {@code prefix}; the empty prefix is every key. */
  record Prefix(String prefix, int limit, Optional<String> pageToken) implements Range {

    public Prefix {
      KeyChecks.requireWellFormed(prefix, "prefix");
      limit = cappedLimit(limit);
      requireValidToken(pageToken);
    }

    public Prefix(String prefix, int limit) {
      this(prefix, limit, Optional.empty());
    }

    @Override
    public Prefix withPageToken(String token) {
      return new Prefix(prefix, limit, Optional.of(token));
    }
  }

  /** Keys in [{@code fromKey}, {@code toKey}); an empty {@code toKey} means no upper bound. */
  record Between(String fromKey, String toKey, int limit, Optional<String> pageToken) implements Range {

    public Between {
      KeyChecks.requireWellFormed(fromKey, "fromKey");
      KeyChecks.requireWellFormed(toKey, "toKey");
      limit = cappedLimit(limit);
      requireValidToken(pageToken);
    }

    public Between(String fromKey, String toKey, int limit) {
      this(fromKey, toKey, limit, Optional.empty());
    }

    @Override
    public Between withPageToken(String token) {
      return new Between(fromKey, toKey, limit, Optional.of(token));
    }

    public boolean hasUpperBound() {
      return !toKey.isEmpty();
    }
  }

  /**
   * A page of a point-in-time export of the whole group (a backup), answered by {@link KvResult.RangePage}. The first
   * page (no token) freezes the state the replica has applied; the later pages of the same {@code exportId} read
   * that frozen state, whatever was written since, and say its revision. The frozen state lives on the replica that
   * answered, outside the replicated state: read every page from the leader, and start again (a new id) when a page
   * is answered NOT_FOUND (another leader, or the export was dropped for a newer one). A page holds at most
   * {@code limit} keys and stops early past {@link #MAX_PAGE_BYTES}.
   */
  record Export(String exportId, int limit, Optional<String> pageToken) implements KvQuery {

    /** Keys plus values of one export page stop growing past this (1 MiB), well inside a remote message. */
    public static final long MAX_PAGE_BYTES = 1L << 20;

    public Export {
      if (exportId == null || !exportId.matches("[A-Za-z0-9_-]{1,64}")) {
        throw KvValidationException.badRequest(
            "export id must be 1 to 64 letters, digits, '-' or '_', was " + exportId);
      }
      limit = cappedLimit(limit);
      requireValidToken(pageToken);
    }
  }

  private static int cappedLimit(int limit) {
    if (limit < 1) {
      throw KvValidationException.badRequest("range limit must be 1 or more, was " + limit);
    }
    return Math.min(limit, Range.MAX_LIMIT);
  }

  private static void requireValidToken(Optional<String> pageToken) {
    Objects.requireNonNull(pageToken, "pageToken").ifPresent(KvPageToken::decode);
  }
}
