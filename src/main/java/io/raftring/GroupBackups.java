package io.raftring;

import io.raftring.api.BackupApi;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.cluster.GroupRouter;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvLimits;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvRestoreChunk;
import io.raftring.kv.KvResult;
import io.raftring.kv.KvValidationException;
import io.raftring.raft.ReadConsistency;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@link BackupApi} over the group router: exports are linearizable reads, restore chunks are proposals. */
final class GroupBackups implements BackupApi {

  /**
   * Most key and value bytes in one restore chunk with more than one key: a chunk is one log entry, which must stay
   * as sendable as the largest put (a single key with the largest value still goes alone).
   */
  static final long MAX_CHUNK_BYTES = 1L << 20;

  private final GroupRouter router;
  private final Function<String, String> groupOfKey;
  private final List<String> groups;
  private final KvLimits limits;

  GroupBackups(GroupRouter router, Function<String, String> groupOfKey, List<String> groups, KvLimits limits) {
    this.router = router;
    this.groupOfKey = groupOfKey;
    this.groups = List.copyOf(groups);
    this.limits = limits;
  }

  @Override
  public List<String> groups() {
    return groups;
  }

  @Override
  public CompletionStage<ExportPage> exportPage(
      String group, String exportId, Optional<String> pageToken, int limit, Duration timeout) {
    KvQuery query;
    try {
      requireGroup(group);
      query = limits.validate(new KvQuery.Export(exportId, limit, pageToken));
    } catch (RaftRingException e) {
      return CompletableFuture.failedFuture(e);
    } catch (KvValidationException e) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.of(e.code()), e.getMessage()));
    }
    return router.read(group, KvCodec.encode(query), ReadConsistency.LINEARIZABLE, timeout).thenApply(read -> {
      KvResult.RangePage page = (KvResult.RangePage) accepted(KvCodec.decodeResult(read.result()));
      return new ExportPage(group, exportId, page.revision(), read.appliedIndex(), page.keyValues(),
          page.nextPageToken());
    });
  }

  @Override
  public CompletionStage<Restored> restore(String group, long revision, List<KeyValue> keyValues, Duration timeout) {
    KvRestoreChunk chunk;
    try {
      requireGroup(group);
      long bytes = 0;
      for (KeyValue keyValue : keyValues) {
        bytes += keyValue.key().length() + (long) keyValue.valueLength();
      }
      if (keyValues.size() > 1 && bytes > MAX_CHUNK_BYTES) {
        throw new RaftRingException(ErrorCode.TOO_LARGE, "a restore chunk of " + keyValues.size() + " keys holds "
            + bytes + " bytes of keys and values; send at most " + MAX_CHUNK_BYTES + " per request");
      }
      for (KeyValue keyValue : keyValues) {
        limits.validateKey(keyValue.key());
        limits.validateValue(keyValue.value());
        String owner = groupOfKey.apply(keyValue.key());
        if (!owner.equals(group)) {
          throw new RaftRingException(ErrorCode.BAD_REQUEST, "key " + keyValue.key() + " belongs to " + owner
              + " on this cluster, not " + group + ": restore into a cluster with the backup's number of groups"
              + " (raftring.cluster.groups) and virtual nodes");
        }
      }
      chunk = new KvRestoreChunk(revision, keyValues);
    } catch (RaftRingException e) {
      return CompletableFuture.failedFuture(e);
    } catch (KvValidationException e) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.of(e.code()), e.getMessage()));
    }
    return router.propose(group, KvCodec.encode(chunk), timeout).thenApply(applied -> {
      KvResult.Restored restored = (KvResult.Restored) accepted(KvCodec.decodeResult(applied.result()));
      return new Restored(group, restored.revision(), restored.keys());
    });
  }

  private void requireGroup(String group) {
    if (!groups.contains(group)) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, "unknown group " + group + "; the groups are " + groups);
    }
  }

  private static KvResult accepted(KvResult result) {
    if (result instanceof KvResult.Rejected rejected) {
      throw new RaftRingException(ErrorCode.of(rejected.code()), rejected.message());
    }
    return result;
  }
}
