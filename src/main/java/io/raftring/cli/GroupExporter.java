package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.kv.KeyValue;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Reads one group's export page by page ({@code GET /v1/admin/groups/{group}/export}), every page from the same
 * frozen state, into a {@link Sink}. When the export is lost (404 NOT_FOUND: leadership moved, or the leader dropped
 * it for newer ones), it starts over with a new export id and a fresh sink, up to {@code attempts} times.
 */
final class GroupExporter {

  /** Where an export's keys go, in key order. */
  interface Sink {
    void begin(long revision, long appliedIndex) throws IOException;

    void add(KeyValue keyValue) throws IOException;

    void end() throws IOException;
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int REQUEST_ATTEMPTS = 5;

  private final KvClient client;
  private final int pageKeys;
  private final int attempts;

  GroupExporter(KvClient client, int pageKeys, int attempts) {
    this.client = client;
    this.pageKeys = pageKeys;
    this.attempts = attempts;
  }

  void export(String group, Supplier<Sink> sinks) throws KvClient.Failure, IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        exportOnce(group, sinks.get());
        return;
      } catch (KvClient.Failure e) {
        if (!"NOT_FOUND".equals(e.errorCode) || attempt >= attempts) {
          throw e;
        }
      }
    }
  }

  private void exportOnce(String group, Sink sink) throws KvClient.Failure, IOException {
    String exportId = HexFormat.of().formatHex(randomBytes());
    String token = null;
    long revision = -1;
    do {
      String path = "/v1/admin/groups/" + KvClient.encode(group) + "/export"
          + KvClient.query("export_id", exportId, "limit", Integer.toString(pageKeys), "page_token", token);
      JsonNode page = client.expectSuccessRetrying("GET", path, null, null, REQUEST_ATTEMPTS).json();
      if (page == null || !page.path("kvs").isArray() || !page.path("revision").canConvertToLong()) {
        throw new KvClient.Failure(RaftRingMain.UNAVAILABLE, "unexpected answer to " + path);
      }
      if (revision < 0) {
        revision = page.get("revision").asLong();
        sink.begin(revision, page.path("applied_index").asLong());
      } else if (page.get("revision").asLong() != revision) {
        throw new KvClient.Failure(RaftRingMain.UNAVAILABLE, "export " + exportId + " of " + group
            + " changed revision between pages (" + revision + ", then " + page.get("revision").asLong() + ")");
      }
      for (JsonNode kv : page.get("kvs")) {
        sink.add(new KeyValue(kv.path("key").asText(), Base64.getDecoder().decode(kv.path("value").asText()),
            kv.path("create_revision").asLong(), kv.path("mod_revision").asLong(), kv.path("version").asLong()));
      }
      token = page.path("more").asBoolean() ? page.path("next_page_token").asText() : null;
    } while (token != null);
    sink.end();
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
