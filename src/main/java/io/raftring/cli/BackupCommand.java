package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftring backup --out FILE}: a consistent snapshot of every group of a running cluster, each with its
 * revision, written to one file ({@link BackupFile}).
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Back up a running cluster to FILE: every Raft group's keys, values and revisions, each group exported from its"
          + " leader as one point-in-time snapshot at its own revision (groups are not taken at one instant)."
          + " Writes go on meanwhile. The file appears only once complete; `raftring restore FILE` seeds a new"
          + " cluster from it.",
      "Exit 0 when the file is written, 3 when the cluster could not serve the export."
    })
final class BackupCommand extends ClientCommand {

  @Option(names = {"-o", "--out"}, required = true, description = "the backup file to write (replaced if it exists)")
  Path out;

  @Option(names = "--page-keys", defaultValue = "1000",
      description = "keys per export page; a page also stops at 1 MiB (default: ${DEFAULT-VALUE})")
  int pageKeys;

  @Option(names = "--attempts", defaultValue = "5",
      description = "exports of one group to try when leadership moves during one (default: ${DEFAULT-VALUE})")
  int attempts;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    List<String> groups = clusterGroups(client);
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    Path spool = out.resolveSibling(out.getFileName() + ".group");
    GroupExporter exporter = new GroupExporter(client, pageKeys, attempts);
    List<String> lines = new ArrayList<>();
    long keys = 0;
    try {
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream file = java.nio.channels.Channels.newOutputStream(channel);
        BackupFile.Writer writer = new BackupFile.Writer(file, Instant.now(), groups.size());
        for (String group : groups) {
          SpooledGroup spooled = new SpooledGroup(spool);
          try (spooled) {
            exporter.export(group, spooled::fresh);
          }
          writer.group(group, spooled.appliedIndex, spool);
          keys += spooled.keys;
          lines.add(group + ": revision " + spooled.revision + ", " + spooled.keys + " keys, applied index "
              + spooled.appliedIndex);
        }
        writer.finish();
        channel.force(true);
      }
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(spool);
      Files.deleteIfExists(partial);
    }
    lines.forEach(main.stdout::println);
    main.stdout.println("backup of " + groups.size() + " groups, " + keys + " keys written to " + out);
    return RaftRingMain.OK;
  }

  /** The cluster's groups, from {@code GET /v1/cluster}. */
  static List<String> clusterGroups(KvClient client) throws KvClient.Failure {
    JsonNode status = client.expectSuccessRetrying("GET", "/v1/cluster", null, null, 5).json();
    List<String> groups = new ArrayList<>();
    if (status != null) {
      status.path("groups").forEach(g -> groups.add(g.path("group").asText()));
    }
    if (groups.isEmpty()) {
      throw new KvClient.Failure(RaftRingMain.UNAVAILABLE, "GET /v1/cluster named no groups");
    }
    return groups;
  }

  /** One group's export written to a spool file as a KV snapshot; each attempt starts the file afresh. */
  private static final class SpooledGroup implements java.io.Closeable {
    private final Path file;
    private OutputStream stream;
    private KvSnapshot.Writer writer;
    long revision;
    long appliedIndex;
    long keys;

    SpooledGroup(Path file) {
      this.file = file;
    }

    GroupExporter.Sink fresh() {
      return new GroupExporter.Sink() {
        @Override
        public void begin(long revision, long appliedIndex) throws IOException {
          close();
          stream = Files.newOutputStream(file);
          writer = new KvSnapshot.Writer(stream, revision);
          SpooledGroup.this.revision = revision;
          SpooledGroup.this.appliedIndex = appliedIndex;
        }

        @Override
        public void add(KeyValue keyValue) throws IOException {
          writer.add(keyValue);
        }

        @Override
        public void end() throws IOException {
          writer.finish();
          keys = writer.count();
          close();
        }
      };
    }

    @Override
    public void close() throws IOException {
      if (stream != null) {
        stream.close();
        stream = null;
      }
    }
  }
}
