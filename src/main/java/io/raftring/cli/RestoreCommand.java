package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.kv.KeyValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftring restore FILE}: seeds a new cluster from a backup. Each group's keys go back with their values and
 * revisions (state installed through the group's Raft log, not puts replayed), and each group ends at the revision
 * it had in the backup; then every group is exported again and compared with the backup.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Seed a new, empty cluster from a backup FILE (from `raftring backup`). The cluster must have the backup's"
          + " groups (the same raftring.cluster.groups and virtual nodes), and nothing may write to it until the"
          + " restore is done. Every key gets back its value, create and mod revision and version, every group its"
          + " revision; then each group is read back and compared with the backup.",
      "Exit 0 when restored and verified; 1 when the cluster holds other data (CONFLICT) or the comparison fails;"
          + " 2 for a damaged file or a cluster with other groups; 3 when the cluster could not serve the restore."
    })
final class RestoreCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "the backup file")
  Path file;

  @Option(names = "--chunk-bytes", defaultValue = "262144",
      description = "keys and values per restore request, in bytes; a larger value goes alone"
          + " (default: ${DEFAULT-VALUE})")
  int chunkBytes;

  @Option(names = "--dry-run", description = "only check the file and print what it holds")
  boolean dryRun;

  private static final int REQUEST_ATTEMPTS = 5;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    BackupFile.Summary summary;
    try {
      summary = BackupFile.verify(file);
    } catch (IOException e) {
      throw new KvClient.Failure(RaftRingMain.USAGE, file + ": " + e.getMessage());
    }
    main.stdout.println(file + ": backup of " + summary.createdAt() + ", " + summary.groups().size() + " groups, "
        + summary.keys() + " keys");
    for (BackupFile.GroupSummary g : summary.groups()) {
      main.stdout.println("  " + g.group() + ": revision " + g.revision() + ", " + g.keys() + " keys");
    }
    if (dryRun) {
      return RaftRingMain.OK;
    }
    List<String> backupGroups = summary.groups().stream().map(BackupFile.GroupSummary::group).toList();
    List<String> clusterGroups = BackupCommand.clusterGroups(client);
    if (!new TreeSet<>(backupGroups).equals(new TreeSet<>(clusterGroups))) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "the cluster's groups " + clusterGroups
          + " are not the backup's " + backupGroups + ": start it with raftring.cluster.groups = "
          + backupGroups.size());
    }

    try (InputStream in = Files.newInputStream(file)) {
      BackupFile.Reader reader = new BackupFile.Reader(in);
      for (BackupFile.Section section = reader.next(); section != null; section = reader.next()) {
        restoreGroup(client, section);
      }
    }

    Map<String, String> mismatches = new TreeMap<>();
    GroupExporter exporter = new GroupExporter(client, 1000, 5);
    for (BackupFile.GroupSummary expected : summary.groups()) {
      BackupFile.Digest[] digest = new BackupFile.Digest[1];
      exporter.export(expected.group(), () -> new GroupExporter.Sink() {
        @Override
        public void begin(long revision, long appliedIndex) {
          digest[0] = new BackupFile.Digest(revision);
        }

        @Override
        public void add(KeyValue keyValue) {
          digest[0].add(keyValue);
        }

        @Override
        public void end() {}
      });
      if (!digest[0].hex().equals(expected.digest())) {
        mismatches.put(expected.group(), digest[0].keys() + " keys read back, " + expected.keys() + " in the backup");
      }
    }
    if (!mismatches.isEmpty()) {
      throw new KvClient.Failure(RaftRingMain.REFUSED, "restored, but groups differ from the backup when read back: "
          + mismatches);
    }
    main.stdout.println("restored " + summary.groups().size() + " groups, " + summary.keys()
        + " keys; every group read back equal to the backup (keys, values and revisions)");
    return RaftRingMain.OK;
  }

  /** Sends a group's keys in chunks of about {@code chunkBytes}; a group without keys still gets its revision. */
  private void restoreGroup(KvClient client, BackupFile.Section section) throws KvClient.Failure, IOException {
    long revision = section.snapshot().revision();
    List<KeyValue> chunk = new ArrayList<>();
    long chunkSize = 0;
    boolean sentAny = false;
    for (KeyValue kv = section.snapshot().next(); kv != null; kv = section.snapshot().next()) {
      long size = kv.key().length() + (long) kv.valueLength();
      if (!chunk.isEmpty() && chunkSize + size > chunkBytes) {
        send(client, section.group(), revision, chunk);
        sentAny = true;
        chunk.clear();
        chunkSize = 0;
      }
      chunk.add(kv);
      chunkSize += size;
    }
    if (!chunk.isEmpty() || !sentAny) {
      send(client, section.group(), revision, chunk);
    }
  }

  /** One chunk; safe to send again after an unknown outcome (a key already there and equal is accepted). */
  private static void send(KvClient client, String group, long revision, List<KeyValue> chunk)
      throws KvClient.Failure {
    ObjectNode body = KvClient.JSON.createObjectNode().put("revision", revision);
    ArrayNode kvs = body.putArray("kvs");
    for (KeyValue kv : chunk) {
      kvs.addObject()
          .put("key", kv.key())
          .put("value", Base64.getEncoder().encodeToString(kv.value()))
          .put("create_revision", kv.createRevision())
          .put("mod_revision", kv.modRevision())
          .put("version", kv.version());
    }
    String path = "/v1/admin/groups/" + KvClient.encode(group) + "/restore";
    JsonNode answer = client.expectSuccessRetrying("POST", path, body.toString().getBytes(StandardCharsets.UTF_8),
        KvClient.APPLICATION_JSON, REQUEST_ATTEMPTS).json();
    if (answer == null || answer.path("revision").asLong(-1) != revision) {
      throw new KvClient.Failure(RaftRingMain.UNAVAILABLE, "unexpected answer to " + path + ": " + answer);
    }
  }
}
