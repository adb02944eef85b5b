package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.api.BackupApi;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvPageToken;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backup endpoints over a fake {@link BackupApi} with groups g0 and g1: an export page renders its keys and token,
 * a lost export is 404, a restore body becomes the chunk the API gets, and malformed requests are 400 with nothing
 * passed on.
 */
class BackupRoutesTest {

  private static ActorTestKit kit;
  private static BoundRoute server;
  private static final List<List<KeyValue>> RESTORED = new CopyOnWriteArrayList<>();
  private static final KeyValue A = new KeyValue("a/1", "hi".getBytes(StandardCharsets.UTF_8), 2, 5, 3);

  private static final BackupApi FAKE = new BackupApi() {
    @Override
    public List<String> groups() {
      return List.of("g0", "g1");
    }

    @Override
    public CompletionStage<ExportPage> exportPage(
        String group, String exportId, Optional<String> pageToken, int limit, Duration timeout) {
      if (exportId.equals("lost")) {
        return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.NOT_FOUND, "export lost is not held"));
      }
      return CompletableFuture.completedFuture(new ExportPage(group, exportId, 9, 40, List.of(A),
          pageToken.isPresent() ? Optional.empty() : Optional.of(KvPageToken.encode("b"))));
    }

    @Override
    public CompletionStage<Restored> restore(String group, long revision, List<KeyValue> keyValues,
        Duration timeout) {
      if (group.equals("g1")) {
        return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.CONFLICT, "g1 is not empty"));
      }
      RESTORED.add(keyValues);
      return CompletableFuture.completedFuture(new Restored(group, revision, keyValues.size()));
    }
  };

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    RequestBodies bodies = new RequestBodies(TestServer.SETTINGS, new HttpErrors(TestServer.SETTINGS.retryAfter()));
    server = BoundRoute.bind(kit, new BackupRoutes(FAKE, TestServer.SETTINGS, bodies).route());
  }

  @AfterAll
  static void stop() {
    server.close();
    kit.shutdownTestKit();
  }

  @Test
  void anExportPageCarriesItsKeysWithRevisionsAndTheNextPagesToken() throws Exception {
    HttpResponse<String> r = server.send("GET", "/v1/admin/groups/g0/export?export_id=e1&limit=10");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode page = BoundRoute.json(r);
    assertThat(page.get("revision").asLong()).isEqualTo(9);
    assertThat(page.get("applied_index").asLong()).isEqualTo(40);
    assertThat(page.get("more").asBoolean()).isTrue();
    JsonNode kv = page.get("kvs").get(0);
    assertThat(kv.get("key").asText()).isEqualTo("a/1");
    assertThat(kv.get("value").asText()).isEqualTo("aGk=");
    assertThat(kv.get("mod_revision").asLong()).isEqualTo(5);

    HttpResponse<String> last = server.send("GET", "/v1/admin/groups/g0/export?export_id=e1&page_token="
        + page.get("next_page_token").asText());
    assertThat(BoundRoute.json(last).get("more").asBoolean()).isFalse();
  }

  @Test
  void aLostExportIsNotFoundAndAnExportWithoutIdIsABadRequest() throws Exception {
    HttpResponse<String> lost = server.send("GET", "/v1/admin/groups/g0/export?export_id=lost&page_token=x");
    assertThat(lost.statusCode()).isEqualTo(404);
    assertThat(BoundRoute.json(lost).get("error").asText()).isEqualTo("NOT_FOUND");

    HttpResponse<String> noId = server.send("GET", "/v1/admin/groups/g0/export");
    assertThat(noId.statusCode()).isEqualTo(400);
    assertThat(BoundRoute.json(noId).get("error").asText()).isEqualTo("BAD_REQUEST");
    assertThat(server.send("GET", "/v1/admin/groups/g0/export?export_id=e&limit=0").statusCode()).isEqualTo(400);
  }

  @Test
  void aRestoreBodyBecomesTheChunkAndAGroupWithOtherDataIsAConflict() throws Exception {
    String body = "{\"revision\": 9, \"kvs\": [{\"key\": \"a/1\", \"value\": \"aGk=\", \"create_revision\": 2,"
        + " \"mod_revision\": 5, \"version\": 3}]}";

    HttpResponse<String> ok = server.send("POST", "/v1/admin/groups/g0/restore", body);
    HttpResponse<String> conflict = server.send("POST", "/v1/admin/groups/g1/restore", body);

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(BoundRoute.json(ok).get("keys").asLong()).isEqualTo(1);
    assertThat(RESTORED).contains(List.of(A));
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(BoundRoute.json(conflict).get("error").asText()).isEqualTo("CONFLICT");
  }

  @Test
  void malformedRestoreBodiesAreBadRequestsAndReachNothing() throws Exception {
    int before = RESTORED.size();
    for (String body : List.of(
        "not json",
        "{}",
        "{\"revision\": -1, \"kvs\": []}",
        "{\"revision\": 3, \"kvs\": [{\"key\": \"a\", \"value\": \"%%%\", \"create_revision\": 1,"
            + " \"mod_revision\": 1, \"version\": 1}]}",
        "{\"revision\": 3, \"kvs\": [{\"key\": \"a\", \"value\": \"\", \"create_revision\": 1.5,"
            + " \"mod_revision\": 1, \"version\": 1}]}",
        "{\"revision\": 3, \"kvs\": [{\"key\": \"a\", \"value\": \"\", \"create_revision\": 2,"
            + " \"mod_revision\": 1, \"version\": 1}]}")) {
      HttpResponse<String> r = server.send("POST", "/v1/admin/groups/g0/restore", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(BoundRoute.json(r).get("error").asText()).as(body).isEqualTo("BAD_REQUEST");
    }
    assertThat(RESTORED).hasSize(before);
  }

  @Test
  void aRestoreBodyMayBeLargerThanOtherJsonBodiesButNotWithoutBound() throws Exception {
    String value = java.util.Base64.getEncoder().encodeToString(new byte[600 * 1024]);
    String body = "{\"revision\": 9, \"kvs\": [{\"key\": \"big\", \"value\": \"" + value + "\", \"create_revision\": 1,"
        + " \"mod_revision\": 1, \"version\": 1}]}";
    assertThat(body.length()).isGreaterThan(TestServer.SETTINGS.json().maxBytes());

    assertThat(server.send("POST", "/v1/admin/groups/g0/restore", body).statusCode()).isEqualTo(200);

    // Declared, not sent: a client still sending when the 413 comes can have its connection reset before it reads it.
    String answer = server.raw("POST /v1/admin/groups/g0/restore HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + (BackupRoutes.MAX_RESTORE_BODY_BYTES + 1) + "\r\n\r\n",
        "{\"revision\": 9, \"kvs\": [], \"pad\": \"x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\"");
  }
}
