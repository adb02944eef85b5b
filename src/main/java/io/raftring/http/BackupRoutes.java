package io.raftring.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.BackupApi;
import io.raftring.api.ErrorCode;
import io.raftring.kv.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Backup and restore, one group at a time ({@code raftring backup} and {@code raftring restore} use them):
 *
 * <ul>
 *   <li>{@code GET /v1/admin/groups/{group}/export?export_id=ID[&page_token=T][&limit=N]}: a page of a point-in-time
 *       export of the group (see {@link BackupApi}), 200 with {@code {"group", "export_id", "revision",
 *       "applied_index", "kvs": [{"key", "value" (base64), "create_revision", "mod_revision", "version"}], "more",
 *       "next_page_token"}}; 404 NOT_FOUND when the export was lost (start a new one).
 *   <li>{@code POST /v1/admin/groups/{group}/restore} with {@code {"revision": R, "kvs": [...]}} (keys in key order,
 *       as an export gives them): 200 with {@code {"group", "revision", "keys"}}; 409 CONFLICT when the group holds
 *       other data; 400 for a key that belongs to another group on this cluster.
 * </ul>
 */
final class BackupRoutes extends AllDirectives {

  /** Keys per export page unless the request says (the page also stops at 1 MiB of keys and values). */
  static final int DEFAULT_PAGE_KEYS = 1000;

  /**
   * The largest restore body: a chunk carries at most 1 MiB of keys and values (or one larger value), which base64
   * and JSON make about 1.4 MiB.
   */
  static final int MAX_RESTORE_BODY_BYTES = 2 * 1024 * 1024;

  private final BackupApi backup;
  private final Duration timeout;
  private final HttpErrors errors;
  private final RequestBodies bodies;

  BackupRoutes(BackupApi backup, HttpSettings settings, RequestBodies bodies) {
    this.backup = backup;
    this.timeout = settings.maxRequestTimeout();
    this.errors = new HttpErrors(settings.retryAfter());
    this.bodies = bodies;
  }

  Route route() {
    return pathPrefix(PathMatchers.segment("v1").slash("admin").slash("groups"), () ->
        pathPrefix(PathMatchers.segment(), group -> concat(
            path("export", () -> get(() ->
                parameterOptional("export_id", exportId ->
                    parameterOptional("page_token", pageToken ->
                        parameterOptional("limit", limit -> export(group, exportId, pageToken, limit)))))),
            path("restore", () -> post(() ->
                bodies.json(MAX_RESTORE_BODY_BYTES, body -> restore(group, body)))))));
  }

  private Route export(String group, Optional<String> exportId, Optional<String> pageToken, Optional<String> limit) {
    int pageKeys;
    try {
      pageKeys = limit.map(BackupRoutes::parsePositiveInt).orElse(DEFAULT_PAGE_KEYS);
    } catch (IllegalArgumentException e) {
      return complete(errors.response(ErrorCode.BAD_REQUEST, "limit must be a positive number, was " + limit.get()));
    }
    if (exportId.isEmpty()) {
      return complete(errors.response(ErrorCode.BAD_REQUEST, "export_id is required"));
    }
    return answer(() -> backup.exportPage(group, exportId.get(), pageToken, pageKeys, timeout), page -> {
      ObjectNode json = Json.object()
          .put("group", page.group())
          .put("export_id", page.exportId())
          .put("revision", page.revision())
          .put("applied_index", page.appliedIndex());
      ArrayNode kvs = json.putArray("kvs");
      page.keyValues().forEach(kv -> kvs.add(KvRoutes.keyValueJson(kv)));
      json.put("more", page.nextPageToken().isPresent());
      json.put("next_page_token", page.nextPageToken().orElse(null));
      return json;
    });
  }

  private Route restore(String group, JsonNode json) {
    long revision;
    List<KeyValue> keyValues = new ArrayList<>();
    try {
      if (!json.isObject() || !json.path("revision").canConvertToLong()
          || json.get("revision").asLong() < 0 || !json.path("kvs").isArray()) {
        throw new IllegalArgumentException(
            "the body must be {\"revision\": R, \"kvs\": [...]}, R a non-negative number");
      }
      revision = json.get("revision").asLong();
      for (JsonNode kv : json.get("kvs")) {
        keyValues.add(keyValueOf(kv));
      }
    } catch (IllegalArgumentException e) {
      return complete(errors.response(ErrorCode.BAD_REQUEST, e.getMessage()));
    }
    return answer(() -> backup.restore(group, revision, keyValues, timeout), restored -> Json.object()
        .put("group", restored.group())
        .put("revision", restored.revision())
        .put("keys", restored.keys()));
  }

  /** One {"key", "value" (base64), "create_revision", "mod_revision", "version"}, as an export renders it. */
  private static KeyValue keyValueOf(JsonNode kv) {
    if (!kv.path("key").isTextual() || !kv.path("value").isTextual()) {
      throw new IllegalArgumentException("every entry of kvs needs a string key and a base64 value: " + kv);
    }
    byte[] value = Base64.getDecoder().decode(kv.get("value").asText());
    return new KeyValue(kv.get("key").asText(), value, revisionField(kv, "create_revision"),
        revisionField(kv, "mod_revision"), revisionField(kv, "version"));
  }

  private static long revisionField(JsonNode kv, String field) {
    JsonNode n = kv.get(field);
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException(field + " of " + kv.path("key").asText() + " must be a whole number");
    }
    return n.asLong();
  }

  private static int parsePositiveInt(String text) {
    int n = Integer.parseInt(text);
    if (n < 1) {
      throw new IllegalArgumentException("not positive");
    }
    return n;
  }

  private <T> Route answer(java.util.function.Supplier<CompletionStage<T>> call, Function<T, ObjectNode> render) {
    CompletionStage<HttpResponse> response;
    try {
      response = call.get().toCompletableFuture()
          .orTimeout(timeout.plus(KvRoutes.DEADLINE_GRACE).toMillis(), TimeUnit.MILLISECONDS)
          .handle((value, e) -> e != null
              ? errors.response(e)
              : HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(render.apply(value))));
    } catch (RuntimeException e) {
      return complete(errors.response(e));
    }
    return completeWithFuture(response);
  }
}
