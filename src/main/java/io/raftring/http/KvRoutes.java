package io.raftring.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaRange;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Accept;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.KeyPlacement;
import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvCondition;
import io.raftring.kv.KvLimits;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.kv.LeaseIds;
import io.raftring.raft.ReadConsistency;
import io.raftring.ring.HashRing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The key-value HTTP API, over {@link KvApi}.
 *
 * <ul>
 *   <li>{@code PUT /v1/kv/{key}}: the body is the value's bytes. {@code ?prev_revision=N} puts only if the key's
 *       mod_revision is N (0: only if absent); {@code ?prev_value=V} only if the current value is the UTF-8 of V;
 *       {@code ?lease=ID} attaches the key to a lease (404 NOT_FOUND if it expired or was revoked).
 *       200 {@code {"revision":R,"prev_kv":{...}|null}}; 409 CONFLICT with {@code current_mod_revision}.
 *   <li>{@code GET /v1/kv/{key}?consistency=linearizable|lease|stale[&degrade=stale]}: 200 with the value's bytes
 *       (application/octet-stream), or with {@code Accept: application/json}
 *       {@code {"key","value"(base64),"create_revision","mod_revision","version","revision"}}; 404 NOT_FOUND.
 *   <li>{@code DELETE /v1/kv/{key}} with the same optional conditions as PUT: 200
 *       {@code {"revision":R,"deleted":0|1,"prev_kv":...}} (etcd-like: deleting an absent key is not an error and
 *       says {@code "deleted":0}); 409 CONFLICT.
 *   <li>{@code GET /v1/kv?prefix=P} or {@code ?from=A&to=B} ([A, B); an empty or absent {@code to} is unbounded;
 *       neither: every key), with {@code limit} (default 100, capped at {@link KvQuery.Range#MAX_LIMIT}),
 *       {@code page_token}, {@code consistency}, {@code degrade}: 200
 *       {@code {"kvs":[...],"count":n,"more":bool,"next_page_token":T|null,"revision":R}}, always JSON.
 * </ul>
 *
 * Every request may say {@code ?timeout=500ms|2s|1500} (milliseconds when no unit), at most the configured maximum;
 * otherwise the configured request timeout is its deadline. Unknown query parameters are refused (400), so a
 * misspelt condition never turns into an unconditional write. Keys and values are checked against {@link KvLimits}
 * before the API is called: a refused request changes nothing and never reaches the store.
 *
 * <p>Single-key answers carry {@code X-RaftRing-Revision} (store revision) and, where a key-value is at hand,
 * {@code X-RaftRing-Mod-Revision}, {@code X-RaftRing-Create-Revision}, {@code X-RaftRing-Version}. Reads also carry
 * {@code X-RaftRing-Node}, {@code X-RaftRing-Applied-Index}, {@code X-RaftRing-Consistency} (the level actually
 * served) and, when a strong read was degraded to a stale one, {@code X-RaftRing-Degraded: true}.
 */
public final class KvRoutes extends AllDirectives {

  public static final String REVISION = "X-RaftRing-Revision";
  public static final String MOD_REVISION = "X-RaftRing-Mod-Revision";
  public static final String CREATE_REVISION = "X-RaftRing-Create-Revision";
  public static final String VERSION = "X-RaftRing-Version";
  public static final String NODE = "X-RaftRing-Node";
  public static final String GROUP = "X-RaftRing-Group";
  public static final String APPLIED_INDEX = "X-RaftRing-Applied-Index";
  public static final String CONSISTENCY = "X-RaftRing-Consistency";
  public static final String DEGRADED = "X-RaftRing-Degraded";

  /** Keys per range page when the request does not say. */
  public static final int DEFAULT_RANGE_LIMIT = 100;

  /**
   * How long after the deadline passed to the API this layer stops waiting for its answer and says TIMEOUT itself:
   * the API is expected to fail on time, this only guards against one that never answers.
   */
  static final Duration DEADLINE_GRACE = Duration.ofMillis(250);

  private static final Set<String> WRITE_PARAMETERS = Set.of("prev_revision", "prev_value", "timeout");
  private static final Set<String> PUT_PARAMETERS = Set.of("prev_revision", "prev_value", "timeout", "lease");
  private static final Set<String> GET_PARAMETERS = Set.of("consistency", "degrade", "timeout", "explain");
  private static final Set<String> RANGE_PARAMETERS =
      Set.of("prefix", "from", "to", "limit", "page_token", "consistency", "degrade", "timeout");

  private final KvApi kv;
  private final KvLimits limits;
  private final Duration requestTimeout;
  private final Duration maxRequestTimeout;
  private final HttpErrors errors;
  private final ValueBody valueBody;

  KvRoutes(KvApi kv, HttpSettings settings, RequestBodies bodies) {
    this.kv = kv;
    this.valueBody = new ValueBody(settings.limits(), bodies);
    this.limits = settings.limits();
    this.requestTimeout = settings.requestTimeout();
    this.maxRequestTimeout = settings.maxRequestTimeout();
    this.errors = new HttpErrors(settings.retryAfter());
  }

  public Route route() {
    return handleExceptions(
        errors.exceptionHandler(),
        () ->
            pathPrefix(
                "v1",
                () ->
                    pathPrefix(
                        "kv",
                        () ->
                            concat(
                                pathEnd(() -> get(() -> extractRequest(this::range))),
                                path(
                                    PathMatchers.remaining(),
                                    encodedKey ->
                                        concat(
                                            put(() -> extractRequest(this::put)),
                                            get(() -> extractRequest(this::get)),
                                            delete(() -> extractRequest(this::delete))))))));
  }

  // ---- PUT

  private Route put(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(PUT_PARAMETERS);
    String key = key(target);
    KvCondition condition = condition(target);
    long lease = target.parameter("lease").map(LeaseIds::parse).orElse(KvCommand.NO_LEASE);
    Duration timeout = timeout(target);
    // The body arrives in full (within raftring.http.body-read-timeout, bounded by the value limit) before the
    // write is made; the request's own deadline is the write's.
    return valueBody.read(value -> write(limits.validate(new KvCommand.Put(key, value, condition, lease)), timeout));
  }

  // ---- DELETE

  private Route delete(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(WRITE_PARAMETERS);
    String key = key(target);
    KvCondition condition = condition(target);
    Duration timeout = timeout(target);
    return write(limits.validate(new KvCommand.Delete(key, condition)), timeout);
  }

  private Route write(KvCommand command, Duration timeout) {
    return answer(withDeadline(() -> kv.write(command, timeout), timeout), this::writeResponse);
  }

  private HttpResponse writeResponse(WriteOutcome outcome) {
    KvResult result = outcome.result();
    List<HttpHeader> headers = new ArrayList<>();
    headers.add(RawHeader.create(GROUP, outcome.group()));
    if (result instanceof KvResult.Written written) {
      headers.add(header(REVISION, written.revision()));
      headers.add(header(MOD_REVISION, written.revision()));
      ObjectNode body = Json.object().put("revision", written.revision());
      putKeyValueOrNull(body, "prev_kv", written.previous());
      return json(body).addHeaders(headers);
    }
    if (result instanceof KvResult.Deleted deleted) {
      headers.add(header(REVISION, deleted.revision()));
      ObjectNode body = Json.object()
          .put("revision", deleted.revision())
          .put("deleted", deleted.deletedSomething() ? 1 : 0);
      putKeyValueOrNull(body, "prev_kv", deleted.previous());
      return json(body).addHeaders(headers);
    }
    if (result instanceof KvResult.Conflict conflict) {
      headers.add(header(REVISION, conflict.revision()));
      headers.add(header(MOD_REVISION, conflict.currentModRevision()));
      ObjectNode extra = Json.object()
          .put("current_mod_revision", conflict.currentModRevision())
          .put("revision", conflict.revision());
      String message = conflict.currentModRevision() == 0
          ? "the condition did not hold: the key is absent (mod_revision 0)"
          : "the condition did not hold: the key's mod_revision is " + conflict.currentModRevision();
      return errors.response(ErrorCode.CONFLICT, message, extra).addHeaders(headers);
    }
    return unexpected(result);
  }

  // ---- GET one key

  private Route get(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(GET_PARAMETERS);
    String key = key(target);
    if (explain(target)) {
      return explainResponse(kv.explain(limits.validateKey(key)));
    }
    ReadConsistency consistency = consistency(target);
    boolean degrade = degrade(target);
    Duration timeout = timeout(target);
    boolean json = wantsJson(request);
    KvQuery query = limits.validate(new KvQuery.Get(key));
    return answer(read(query, consistency, degrade, timeout), outcome -> getResponse(outcome, consistency, json));
  }

  /** {@code ?explain=true}: where the key lives, without reading it. */
  static boolean explain(RawTarget target) {
    Optional<String> explain = target.parameter("explain");
    if (explain.isPresent() && !explain.get().equals("true") && !explain.get().equals("false")) {
      throw badRequest("explain may only be 'true' or 'false', was '" + explain.get() + "'");
    }
    return explain.map(Boolean::parseBoolean).orElse(false);
  }

  private Route explainResponse(KeyPlacement placement) {
    ObjectNode body = Json.object().put("key", placement.key())
        .put("hash", HashRing.positionOf(placement.key())).put("group", placement.group());
    placement.replicas().forEach(body.putArray("replicas")::add);
    body.put("leader", placement.leader());
    // Keys with the same tag share a group: a transaction over them is one Raft entry.
    body.put("hash_tag", placement.hashTag());
    return complete(json(body));
  }

  private HttpResponse getResponse(ReadOutcome outcome, ReadConsistency asked, boolean json) {
    List<HttpHeader> headers = readHeaders(outcome, asked);
    KvResult result = outcome.result();
    if (result instanceof KvResult.Found found) {
      KeyValue kv = found.keyValue();
      headers.add(header(REVISION, found.revision()));
      headers.add(header(MOD_REVISION, kv.modRevision()));
      headers.add(header(CREATE_REVISION, kv.createRevision()));
      headers.add(header(VERSION, kv.version()));
      if (json) {
        ObjectNode body = keyValueJson(kv).put("revision", found.revision());
        return json(body).addHeaders(headers);
      }
      HttpEntity.Strict raw = HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, kv.value());
      return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(raw).addHeaders(headers);
    }
    if (result instanceof KvResult.NotFound notFound) {
      headers.add(header(REVISION, notFound.revision()));
      return errors.response(ErrorCode.NOT_FOUND, "key not found", Json.object().put("revision", notFound.revision()))
          .addHeaders(headers);
    }
    return unexpected(result);
  }

  // ---- GET a range

  private Route range(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(RANGE_PARAMETERS);
    Optional<String> prefix = target.parameter("prefix");
    Optional<String> from = target.parameter("from");
    Optional<String> to = target.parameter("to");
    if (prefix.isPresent() && (from.isPresent() || to.isPresent())) {
      throw badRequest("give either prefix or from/to, not both");
    }
    int limit = target.parameter("limit").map(KvRoutes::parseLimit).orElse(DEFAULT_RANGE_LIMIT);
    Optional<String> pageToken = target.parameter("page_token");
    ReadConsistency consistency = consistency(target);
    boolean degrade = degrade(target);
    Duration timeout = timeout(target);
    KvQuery.Range query = prefix.isPresent() || from.isEmpty() && to.isEmpty()
        ? new KvQuery.Prefix(prefix.orElse(""), limit, pageToken)
        : new KvQuery.Between(from.orElse(""), to.orElse(""), limit, pageToken);
    limits.validate(query);
    return answer(read(query, consistency, degrade, timeout), outcome -> rangeResponse(outcome, consistency));
  }

  private HttpResponse rangeResponse(ReadOutcome outcome, ReadConsistency asked) {
    List<HttpHeader> headers = readHeaders(outcome, asked);
    if (!(outcome.result() instanceof KvResult.RangePage page)) {
      return unexpected(outcome.result());
    }
    headers.add(header(REVISION, page.revision()));
    ObjectNode body = Json.object();
    ArrayNode kvs = body.putArray("kvs");
    for (KeyValue kv : page.keyValues()) {
      kvs.add(keyValueJson(kv));
    }
    body.put("count", page.keyValues().size());
    body.put("more", page.more());
    if (page.nextPageToken().isPresent()) {
      body.put("next_page_token", page.nextPageToken().get());
    } else {
      body.putNull("next_page_token");
    }
    body.put("revision", page.revision());
    return json(body).addHeaders(headers);
  }

  private CompletionStage<ReadOutcome> read(
      KvQuery query, ReadConsistency consistency, boolean degrade, Duration timeout) {
    return withDeadline(
        () -> degrade ? kv.readOrDegrade(query, consistency, timeout) : kv.read(query, consistency, timeout),
        timeout);
  }

  private static List<HttpHeader> readHeaders(ReadOutcome outcome, ReadConsistency asked) {
    List<HttpHeader> headers = new ArrayList<>();
    headers.add(RawHeader.create(NODE, outcome.node()));
    headers.add(RawHeader.create(GROUP, outcome.group()));
    headers.add(header(APPLIED_INDEX, outcome.appliedIndex()));
    headers.add(RawHeader.create(CONSISTENCY, outcome.servedAs().name().toLowerCase(Locale.ROOT)));
    if (outcome.servedAs() == ReadConsistency.STALE && asked != ReadConsistency.STALE) {
      headers.add(RawHeader.create(DEGRADED, "true"));
    }
    return headers;
  }

  // ---- request parsing: every check here runs before the API is called

  private String key(RawTarget target) {
    return limits.validateKey(target.pathBytesAfter(2));
  }

  private KvCondition condition(RawTarget target) {
    Optional<String> prevRevision = target.parameter("prev_revision");
    Optional<String> prevValue = target.parameter("prev_value");
    if (prevRevision.isPresent() && prevValue.isPresent()) {
      throw badRequest("give either prev_revision or prev_value, not both");
    }
    if (prevRevision.isPresent()) {
      long revision;
      try {
        // ASCII digits only: Long.parseLong would also take "+7" and digits of other scripts.
        revision = RequestOptions.DIGITS.matcher(prevRevision.get()).matches() ? Long.parseLong(prevRevision.get()) : -1;
      } catch (NumberFormatException e) {
        revision = -1; // more than 19 digits
      }
      if (revision < 0) {
        throw badRequest("prev_revision must be a whole number 0 or more, was '" + prevRevision.get() + "'");
      }
      return KvCondition.modRevisionEquals(revision);
    }
    if (prevValue.isPresent()) {
      return KvCondition.valueEquals(limits.validateValue(prevValue.get().getBytes(StandardCharsets.UTF_8)));
    }
    return KvCondition.always();
  }

  private static ReadConsistency consistency(RawTarget target) {
    Optional<String> level = target.parameter("consistency");
    if (level.isEmpty()) {
      return ReadConsistency.LINEARIZABLE;
    }
    return switch (level.get().toLowerCase(Locale.ROOT)) {
      case "linearizable" -> ReadConsistency.LINEARIZABLE;
      case "lease" -> ReadConsistency.LEASE;
      case "stale" -> ReadConsistency.STALE;
      default -> throw badRequest(
          "unknown consistency level '" + level.get() + "'; use linearizable, lease or stale");
    };
  }

  private static boolean degrade(RawTarget target) {
    Optional<String> degrade = target.parameter("degrade");
    if (degrade.isPresent() && !degrade.get().equals("stale")) {
      throw badRequest("degrade may only be 'stale', was '" + degrade.get() + "'");
    }
    return degrade.isPresent();
  }

  private Duration timeout(RawTarget target) {
    return target.timeout(requestTimeout, maxRequestTimeout);
  }

  private static int parseLimit(String text) {
    if (!RequestOptions.DIGITS.matcher(text).matches()) {
      throw badRequest("limit must be a whole number 1 or more, was '" + text + "'");
    }
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return KvQuery.Range.MAX_LIMIT; // larger than an int: capped like any limit over the maximum
    }
    if (limit < 1) {
      throw badRequest("limit must be 1 or more, was " + limit);
    }
    return Math.min(limit, KvQuery.Range.MAX_LIMIT);
  }

  static boolean wantsJson(HttpRequest request) {
    Optional<Accept> accept = request.getHeader(Accept.class);
    if (accept.isEmpty()) {
      return false;
    }
    for (MediaRange range : accept.get().getMediaRanges()) {
      String text = range.toString().toLowerCase(Locale.ROOT);
      if (text.startsWith("application/json") && range.qValue() > 0) {
        return true;
      }
    }
    return false;
  }

  // ---- answers

  private <T> Route answer(CompletionStage<T> stage, java.util.function.Function<T, HttpResponse> render) {
    return completeWithFuture(errors.render(stage, render));
  }

  private static <T> CompletionStage<T> withDeadline(Supplier<CompletionStage<T>> call, Duration timeout) {
    return RequestOptions.withDeadline(call, timeout);
  }

  private HttpResponse unexpected(KvResult result) {
    if (result instanceof KvResult.Rejected rejected) {
      return errors.response(ErrorCode.of(rejected.code()), rejected.message());
    }
    return errors.response(
        new IllegalStateException("unexpected result " + (result == null ? "null" : result.getClass().getName())));
  }

  private static HttpResponse json(ObjectNode body) {
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(body));
  }

  static ObjectNode keyValueJson(KeyValue kv) {
    return Json.object()
        .put("key", kv.key())
        .put("value", Base64.getEncoder().encodeToString(kv.value()))
        .put("create_revision", kv.createRevision())
        .put("mod_revision", kv.modRevision())
        .put("version", kv.version());
  }

  private static void putKeyValueOrNull(ObjectNode body, String field, Optional<KeyValue> kv) {
    if (kv.isPresent()) {
      body.set(field, keyValueJson(kv.get()));
    } else {
      body.putNull(field);
    }
  }

  private static HttpHeader header(String name, long value) {
    return RawHeader.create(name, Long.toString(value));
  }

  private static RaftRingException badRequest(String message) {
    return new RaftRingException(ErrorCode.BAD_REQUEST, message);
  }
}
