package io.raftring.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.EventualApi;
import io.raftring.api.RaftRingException;
import io.raftring.eventual.CausalContext;
import io.raftring.eventual.EventualExplain;
import io.raftring.eventual.EventualRead;
import io.raftring.eventual.EventualSettings.ReadResolution;
import io.raftring.eventual.EventualWrite;
import io.raftring.eventual.ReplicaCount;
import io.raftring.eventual.Sibling;
import io.raftring.eventual.VersionVector;
import io.raftring.eventual.VersionedValue;
import io.raftring.kv.KvLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The eventually consistent keyspace over HTTP, over {@link EventualApi}; keys as in {@code /v1/kv}, one URL-encoded
 * path segment checked by the KV layer's rules.
 *
 * <ul>
 *   <li>{@code PUT /v1/ev/{key}?w=} with the value as the body, and optionally the causal context of a read in
 *       {@code X-RaftRing-Context}: the write supersedes what that read returned (without one, it replaces whatever
 *       its coordinating replica holds: last-writer-wins). 200 {@code {"key","context","coordinator",
 *       "acknowledged_by"}}, the new context also in the header.
 *   <li>{@code DELETE /v1/ev/{key}?w=}: a tombstone, with the same context rules; same answer.
 *   <li>{@code GET /v1/ev/{key}?r=&resolve=lww|siblings}: with {@code Accept: application/json}, 200
 *       {@code {"key","context","siblings":[{"value"(base64)|"deleted":true,"timestamp"}],"newest":i,
 *       "answered_by"}}. Otherwise the raw value when there is one sibling; with several, the newest by hybrid
 *       logical clock (200, {@code resolve=lww}, the default unless configured otherwise) or 300 Multiple Choices
 *       with the JSON list ({@code resolve=siblings}). {@code X-RaftRing-Siblings} counts them. A key with no live
 *       value (never written, or its newest sibling is a delete) is 404 NOT_FOUND, still with its context.
 *   <li>{@code GET /v1/ev/{key}?explain=true}: the preference list and each replica's siblings and clock.
 * </ul>
 * {@code w} and {@code r} are 1..N, {@code quorum} or {@code all}; every request may say {@code ?timeout=}.
 */
public final class EventualRoutes extends AllDirectives {

  public static final String CONTEXT = "X-RaftRing-Context";
  public static final String SIBLINGS = "X-RaftRing-Siblings";
  public static final String TIMESTAMP = "X-RaftRing-Timestamp";

  private static final Set<String> WRITE_PARAMETERS = Set.of("w", "timeout");
  private static final Set<String> GET_PARAMETERS = Set.of("r", "timeout", "explain", "resolve");

  private final EventualApi eventual;
  private final KvLimits limits;
  private final Duration requestTimeout;
  private final Duration maxRequestTimeout;
  private final HttpErrors errors;
  private final ValueBody valueBody;

  EventualRoutes(EventualApi eventual, HttpSettings settings, RequestBodies bodies) {
    this.eventual = eventual;
    this.limits = settings.limits();
    this.requestTimeout = settings.requestTimeout();
    this.maxRequestTimeout = settings.maxRequestTimeout();
    this.errors = new HttpErrors(settings.retryAfter());
    this.valueBody = new ValueBody(limits, bodies);
  }

  public Route route() {
    return handleExceptions(errors.exceptionHandler(), () -> pathPrefix(PathMatchers.segment("v1").slash("ev"),
        () -> path(PathMatchers.remaining(), encodedKey -> concat(
            put(() -> extractRequest(this::put)),
            get(() -> extractRequest(this::get)),
            delete(() -> extractRequest(this::delete))))));
  }

  // ---- writes

  /** What a PUT or DELETE says besides the value, checked before anything is done. */
  private record Write(String key, ReplicaCount w, VersionVector context, Duration timeout) {}

  private Write write(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(WRITE_PARAMETERS);
    return new Write(key(target), count(target, "w"), context(request),
        target.timeout(requestTimeout, maxRequestTimeout));
  }

  private Route put(HttpRequest request) {
    Write w = write(request);
    return valueBody.read(value -> answer(RequestOptions.withDeadline(
        () -> eventual.put(w.key(), value, w.context(), w.w(), w.timeout()), w.timeout()), this::writeResponse));
  }

  private Route delete(HttpRequest request) {
    Write w = write(request);
    return answer(RequestOptions.withDeadline(() -> eventual.delete(w.key(), w.context(), w.w(), w.timeout()),
        w.timeout()), this::writeResponse);
  }

  private HttpResponse writeResponse(EventualWrite write) {
    String context = CausalContext.encode(write.context());
    ObjectNode body = Json.object().put("key", write.key()).put("context", context)
        .put("coordinator", write.coordinator());
    write.acknowledgedBy().forEach(body.putArray("acknowledged_by")::add);
    return json(StatusCodes.OK, body).addHeader(RawHeader.create(CONTEXT, context));
  }

  // ---- reads

  private Route get(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(GET_PARAMETERS);
    String key = key(target);
    Duration timeout = target.timeout(requestTimeout, maxRequestTimeout);
    if (KvRoutes.explain(target)) {
      return answer(RequestOptions.withDeadline(() -> eventual.explain(key, timeout), timeout), this::explainResponse);
    }
    ReplicaCount r = count(target, "r");
    ReadResolution resolution = resolution(target);
    boolean json = KvRoutes.wantsJson(request);
    return answer(RequestOptions.withDeadline(() -> eventual.get(key, r, timeout), timeout),
        read -> readResponse(read, json, resolution));
  }

  private HttpResponse readResponse(EventualRead read, boolean json, ReadResolution resolution) {
    VersionedValue value = read.value();
    String context = CausalContext.encode(read.context());
    List<HttpHeader> headers = new ArrayList<>();
    headers.add(RawHeader.create(CONTEXT, context));
    headers.add(RawHeader.create(SIBLINGS, Integer.toString(value.siblings().size())));
    headers.add(RawHeader.create(KvRoutes.NODE, String.join(",", read.answeredBy())));
    // Siblings shown as a list (JSON, or 300) include concurrent deletes; last-writer-wins shows only the newest.
    boolean list = json || value.siblings().size() > 1 && resolution == ReadResolution.SIBLINGS;
    if (value.isEmpty() || value.isDeleted() || !list && read.notFound()) {
      return errors.response(ErrorCode.NOT_FOUND, value.isEmpty() ? "key not found" : "key deleted",
          Json.object().put("context", context)).addHeaders(headers);
    }
    if (list) {
      return json(json ? StatusCodes.OK : StatusCodes.MULTIPLE_CHOICES, siblingsJson(read, context))
          .addHeaders(headers);
    }
    Sibling newest = value.newest();
    headers.add(RawHeader.create(TIMESTAMP, Long.toString(newest.timestamp())));
    return HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, newest.value()))
        .addHeaders(headers);
  }

  private static ObjectNode siblingsJson(EventualRead read, String context) {
    ObjectNode body = Json.object().put("key", read.key()).put("context", context);
    ArrayNode siblings = body.putArray("siblings");
    Sibling newest = read.value().newest();
    int newestIndex = 0;
    for (Sibling s : read.value().siblings()) {
      if (s == newest) {
        newestIndex = siblings.size();
      }
      siblings.add(siblingJson(s));
    }
    body.put("newest", newestIndex);
    read.answeredBy().forEach(body.putArray("answered_by")::add);
    return body;
  }

  private static ObjectNode siblingJson(Sibling s) {
    ObjectNode json = Json.object();
    if (s.isTombstone()) {
      json.put("deleted", true);
    } else {
      json.put("value", Base64.getEncoder().encodeToString(s.value()));
    }
    return json.put("timestamp", s.timestamp()).put("dot", s.dot().toString());
  }

  private HttpResponse explainResponse(EventualExplain explain) {
    ObjectNode body = Json.object().put("key", explain.key()).put("ring_position", explain.ringPosition());
    explain.preferenceList().forEach(body.putArray("preference_list")::add);
    ArrayNode replicas = body.putArray("replicas");
    for (EventualExplain.Replica r : explain.replicas()) {
      ObjectNode replica = replicas.addObject().put("node", r.node()).put("role", r.role()).put("live", r.live());
      if (r.value() == null) {
        replica.put("error", r.error());
        continue;
      }
      replica.put("context", CausalContext.encode(r.value().clock())).put("clock", r.value().clock().toString())
          .put("digest", Long.toHexString(r.value().digest()));
      ArrayNode siblings = replica.putArray("siblings");
      r.value().siblings().forEach(s -> siblings.add(siblingJson(s)));
    }
    return json(StatusCodes.OK, body);
  }

  /** The eventual keyspace's part of {@code /v1/cluster}. */
  static ObjectNode statusJson(io.raftring.eventual.EventualStatus status) {
    ObjectNode json = Json.object().put("actor", status.actor()).put("replicas", status.replicas());
    status.ring().forEach(json.putArray("ring")::add);
    status.live().forEach(json.putArray("live")::add);
    io.raftring.eventual.EventualStatus.Hints h = status.hints();
    ObjectNode hints = json.putObject("hints").put("count", h.count()).put("bytes", h.bytes())
        .put("stored_total", h.stored()).put("replayed_total", h.replayed())
        .put("dropped_full_total", h.droppedFull()).put("dropped_expired_total", h.droppedExpired());
    ObjectNode byOwner = hints.putObject("by_owner");
    h.byOwner().forEach(byOwner::put);
    ArrayNode exchanges = json.putArray("anti_entropy");
    for (io.raftring.eventual.EventualStatus.PeerExchange e : status.antiEntropy()) {
      exchanges.addObject().put("peer", e.peer()).put("exchanges", e.exchanges()).put("converged", e.converged())
          .put("failed", e.failed()).put("keys_pulled", e.keysPulled()).put("keys_pushed", e.keysPushed())
          .put("last_converged_at", e.lastConvergedMillis() == 0 ? null
              : java.time.Instant.ofEpochMilli(e.lastConvergedMillis()).toString())
          .put("last_differing_leaves", e.lastDifferingLeaves());
    }
    json.put("tombstones", status.tombstones()).put("tombstones_purged_total", status.tombstonesPurged());
    return json;
  }

  // ---- request parsing: every check runs before the API is called

  private String key(RawTarget target) {
    return limits.validateKey(target.pathBytesAfter(2));
  }

  private static ReplicaCount count(RawTarget target, String name) {
    Optional<String> text = target.parameter(name);
    if (text.isEmpty()) {
      return null;
    }
    try {
      return ReplicaCount.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, name + " " + e.getMessage());
    }
  }

  private ReadResolution resolution(RawTarget target) {
    Optional<String> text = target.parameter("resolve");
    if (text.isEmpty()) {
      return eventual.settings().readResolution();
    }
    return switch (text.get().toLowerCase(Locale.ROOT)) {
      case "lww" -> ReadResolution.LWW;
      case "siblings" -> ReadResolution.SIBLINGS;
      default -> throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "resolve may be 'lww' or 'siblings', was '" + text.get() + "'");
    };
  }

  private VersionVector context(HttpRequest request) {
    Optional<HttpHeader> header = request.getHeader(CONTEXT);
    if (header.isEmpty()) {
      return null;
    }
    try {
      return CausalContext.decode(header.get().value(), eventual.settings().maxContextBytes());
    } catch (IllegalArgumentException e) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, CONTEXT + ": " + e.getMessage());
    }
  }

  private <T> Route answer(java.util.concurrent.CompletionStage<T> stage,
      java.util.function.Function<T, HttpResponse> render) {
    return completeWithFuture(errors.render(stage, render));
  }

  private static HttpResponse json(akka.http.javadsl.model.StatusCode status, ObjectNode body) {
    return HttpResponse.create().withStatus(status).withEntity(Json.entity(body));
  }
}
