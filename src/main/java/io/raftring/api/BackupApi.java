package io.raftring.api;

import io.raftring.kv.KeyValue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Backup and restore of a cluster, one Raft group at a time, through each group's leader. A failed stage carries a
 * {@link RaftRingException}.
 *
 * <p>Export: the first page of an export freezes the group's state at a linearizable point (the leader confirms its
 * leadership, then reads all it applied), and every later page of the same export id reads that frozen state, so the
 * pages together are one consistent snapshot of the group at its {@code revision}, however it is written to
 * meanwhile. Revisions are per group: the groups of one backup are each consistent, not taken at one instant. A page
 * answered NOT_FOUND means the export was lost (leadership moved, or newer exports replaced it): start again.
 *
 * <p>Restore: chunks of a group's keys, with their revisions as exported, go through the group's Raft log; the
 * group takes them only while it is empty or at the backup's revision (CONFLICT otherwise), and only keys that
 * belong to that group on this cluster's ring (BAD_REQUEST otherwise), so the target must have the same groups.
 */
public interface BackupApi {

  /** The cluster's Raft groups, in ring order. */
  List<String> groups();

  /** A page of the export {@code exportId} of {@code group}; no token starts it (or repeats its first page). */
  CompletionStage<ExportPage> exportPage(
      String group, String exportId, Optional<String> pageToken, int limit, Duration timeout);

  /** Installs {@code keyValues} (in key order) into {@code group}, which is then at {@code revision}. */
  CompletionStage<Restored> restore(String group, long revision, List<KeyValue> keyValues, Duration timeout);

  /**
   * One page of an export: the group's {@code revision} at the export's point, the index the leader had applied when
   * the page was read, keys in key order, and the token of the next page (empty on the last).
   */
  record ExportPage(String group, String exportId, long revision, long appliedIndex, List<KeyValue> keyValues,
      Optional<String> nextPageToken) {
    public ExportPage {
      keyValues = List.copyOf(keyValues);
    }
  }

  /** A chunk is in: {@code group} is at {@code revision} and holds {@code keys} keys. */
  record Restored(String group, long revision, long keys) {}
}
