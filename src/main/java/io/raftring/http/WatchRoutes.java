package io.raftring.http;

import akka.NotUsed;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.japi.pf.PFBuilder;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvEvent;
import io.raftring.kv.LeaseIds;
import io.raftring.watch.WatchApi;
import io.raftring.watch.WatchEndedException;
import io.raftring.watch.WatchEvent;
import io.raftring.watch.WatchFilter;
import io.raftring.watch.WatchItem;
import io.raftring.watch.WatchPosition;
import io.raftring.watch.WatchSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code GET /v1/watch?key=K} or {@code ?prefix=P} (the empty prefix is every key), optionally {@code &position=T}:
 * 200 with a stream of newline-delimited JSON, one object per line:
 *
 * <ul>
 *   <li>{@code {"type":"created","position":T}} first;
 *   <li>{@code {"type":"put","key","value"(base64),"create_revision","mod_revision","version","lease"?,"group",
 *       "position"}} and {@code {"type":"delete","key","mod_revision","group","position"}} for every change;
 *   <li>{@code {"type":"progress","position"}} while nothing matches;
 *   <li>{@code {"type":"closed","error":CODE,"message","position"}} last, when the server ends the watch.
 * </ul>
 *
 * Every line's position resumes the watch right after it. Before the stream starts: 400 for bad parameters, 410
 * COMPACTED for a position older than the history kept, 503 when no replica of a group answers or the node serves too
 * many watches.
 *
 * <p>{@code POST /v1/watch} with {@code {"watches":[{"key":K} or {"prefix":P}, each optionally with "position":T,
 * ...]}} (1 to {@link WatchApi#MAX_WATCHES_PER_STREAM}) carries many watches on one stream, as etcd's clients share
 * one stream among their watches: 200 and the same lines, each with {@code "watch":I} first, the watch's index in
 * the list. A watch that cannot start, or that the server ends, gets its own {@code closed} line and the others run
 * on; the stream ends after the last watch's {@code closed} line. 400 for a malformed body, before anything starts.
 *
 * <p>{@code GET /v1/watch/ws}, a WebSocket, carries watches created and cancelled while it is open, as etcd's Watch
 * stream: {@code {"create":{"id":N?,"key":K | "prefix":P,"position":T?}}} and {@code {"cancel":N}} in, the same lines
 * out, each in its own text message and tagged with the watch's id, a cancel answered {@code {"watch":N,"type":
 * "canceled"}} and a message that changes nothing {@code {"type":"error",...}} ({@link WatchSocket}). 400 for a GET
 * that is not a WebSocket upgrade.
 */
public final class WatchRoutes extends AllDirectives {

  /** Newline-delimited JSON. */
  static final ContentType NDJSON =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8));

  /** A GET's query parameters, and the fields of each watch of a POST. */
  private static final Set<String> PARAMETERS = Set.of("key", "prefix", "position");
  /** The most bytes of waiting lines that go out as one chunk, when a connection is slower than its events. */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final WatchApi watch;
  private final HttpErrors errors;
  private final RequestBodies bodies;
  private final WatchSocket socket;

  public WatchRoutes(WatchApi watch, HttpSettings settings, RequestBodies bodies) {
    this.watch = watch;
    this.errors = new HttpErrors(settings.retryAfter());
    this.bodies = bodies;
    this.socket = new WatchSocket(watch, settings);
  }

  public Route route() {
    return pathPrefix("v1", () -> concat(
        path("watch", () -> concat(
            get(() -> extractMaterializer(materializer -> extractRequest(request -> watch(request, materializer)))),
            post(() -> extractRequest(request -> {
              RawTarget.of(request).requireOnly(Set.of());
              return bodies.json(body -> watchAll(specs(body)));
            })))),
        path(PathMatchers.segment("watch").slash("ws"), () -> get(() -> extractMaterializer(materializer ->
            extractRequest(request -> socket(request, materializer)))))));
  }

  /** {@code GET /v1/watch/ws}: an interactive watch stream over a WebSocket ({@link WatchSocket}). */
  private Route socket(HttpRequest request, Materializer materializer) {
    RawTarget.of(request).requireOnly(Set.of());
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isEmpty()) {
      return complete(errors.response(ErrorCode.BAD_REQUEST,
          "GET /v1/watch/ws is a WebSocket: send the request as a WebSocket upgrade (Upgrade: websocket)"));
    }
    return complete(upgrade.get().handleMessagesWith(socket.flow(materializer)));
  }

  private Route watchAll(List<WatchSpec> specs) {
    Source<ByteString, NotUsed> lines = watch.watchAll(specs).map(WatchRoutes::line)
        .batchWeighted(MAX_CHUNK_BYTES, line -> (long) line.size(), line -> line, ByteString::concat);
    return complete(HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.createChunked(NDJSON, lines)));
  }

  /** The watches of a {@code POST /v1/watch} body, or BAD_REQUEST naming what is wrong with it. */
  static List<WatchSpec> specs(JsonNode body) {
    JsonNode watches = body.get("watches");
    if (!body.isObject() || body.size() != 1 || watches == null || !watches.isArray()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "a watch body is {\"watches\":[{\"key\":K} or {\"prefix\":P}, optionally with \"position\", ...]}"
              + " and nothing else");
    }
    WatchApi.requireStreamSize(watches.size());
    List<WatchSpec> specs = new ArrayList<>(watches.size());
    for (int i = 0; i < watches.size(); i++) {
      specs.add(spec("watches[" + i + "]", watches.get(i), Set.of()));
    }
    return specs;
  }

  /**
   * A watch from a JSON object (an entry of a POST's body, a WebSocket's create), or BAD_REQUEST naming what is wrong
   * with it; {@code where} names the object, and the fields in {@code theCallers} are left to the caller.
   */
  static WatchSpec spec(String where, JsonNode entry, Set<String> theCallers) {
    if (!entry.isObject()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, where + " is not an object: " + entry);
    }
    for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (theCallers.contains(name)) {
        continue;
      }
      if (!PARAMETERS.contains(name)) {
        throw new RaftRingException(ErrorCode.BAD_REQUEST, where + " has an unknown field '" + name
            + "'; a watch has key or prefix, and optionally position"
            + (theCallers.isEmpty() ? "" : " and " + String.join(", ", new TreeSet<>(theCallers))));
      }
      if (!entry.get(name).isTextual()) {
        throw new RaftRingException(ErrorCode.BAD_REQUEST, where + "." + name + " must be a string");
      }
    }
    return spec(where, name -> Optional.ofNullable(entry.get(name)).map(JsonNode::asText));
  }

  /**
   * A watch from its key or prefix and optional position, however they came (a GET's query, an entry of a POST's
   * body), or BAD_REQUEST naming the problem; {@code where} names the entry ("" for a query).
   */
  private static WatchSpec spec(String where, Function<String, Optional<String>> field) {
    String at = where.isEmpty() ? "" : where + ".";
    Optional<String> key = field.apply("key");
    Optional<String> prefix = field.apply("prefix");
    if (key.isPresent() == prefix.isPresent()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, (where.isEmpty() ? "" : where + ": ")
          + "give either key or prefix (an empty prefix: every key)");
    }
    if (key.isPresent() && key.get().isEmpty()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, at + "key must not be empty");
    }
    WatchFilter filter = key.map(WatchFilter::key).orElseGet(() -> WatchFilter.prefix(prefix.get()));
    try {
      return new WatchSpec(filter, field.apply("position").map(WatchPosition::parse).orElse(null));
    } catch (RaftRingException e) {
      throw where.isEmpty() ? e : new RaftRingException(ErrorCode.BAD_REQUEST, at + "position: " + e.getMessage());
    }
  }

  /**
   * A GET's status depends on how its watch starts (200 and the stream once created, else the error alone), so the
   * watch is run up to its created line first. The stream the client then reads is the same watch resumed from that
   * line's position, run by the HTTP server inside the response itself: keeping the first run's stream would cost
   * every event a hop from that stream into the response's. Resuming from a position misses nothing and repeats
   * nothing, so the client sees one watch.
   */
  private Route watch(HttpRequest request, Materializer materializer) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(PARAMETERS);
    WatchSpec spec = spec("", target::parameter);
    CompletionStage<HttpResponse> response = watch.watch(spec.filter(), spec.from())
        .runWith(Sink.headOption(), materializer)
        .handle((first, failure) -> {
          if (failure != null) {
            return errors.response(failure);
          }
          if (first.isEmpty() || !(first.get() instanceof WatchEvent.Created created)) {
            return errors.response(ErrorCode.INTERNAL, "the watch did not start with its created line");
          }
          // A server-side end becomes the stream's last line, in its place.
          Source<ByteString, NotUsed> rest = watch.watch(spec.filter(), created.position()).drop(1)
              .map(WatchRoutes::line)
              .recover(new PFBuilder<Throwable, ByteString>()
                  .matchAny(ended -> closedLine(WatchEndedException.of(ended))).build());
          return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.createChunked(NDJSON,
              Source.single(line(created)).concat(rest)));
        });
    return completeWithFuture(response);
  }

  static ByteString line(WatchEvent event) {
    return render(fill(Json.object(), event));
  }

  private static ByteString line(WatchItem item) {
    return render(json(item));
  }

  /**
   * An element of a stream of many watches as its JSON line: {@code "watch"} first, then the watch's own line; a
   * cancel's answer is {@code {"watch":I,"type":"canceled"}}, a refused command's {@code {"type":"error","error":
   * "BAD_REQUEST","message":...}} (no watch: it changed none).
   */
  static ObjectNode json(WatchItem item) {
    if (item instanceof WatchItem.Refused refused) {
      return Json.object().put("type", "error").put("error", ErrorCode.BAD_REQUEST.name())
          .put("message", refused.message());
    }
    ObjectNode json = Json.object().put("watch", item.watch());
    if (item instanceof WatchItem.Event event) {
      return fill(json, event.event());
    }
    if (item instanceof WatchItem.End end) {
      return fillClosed(json, end.cause());
    }
    return json.put("type", "canceled");
  }

  private static ObjectNode fill(ObjectNode json, WatchEvent event) {
    if (event instanceof WatchEvent.Created) {
      json.put("type", "created");
    } else if (event instanceof WatchEvent.Progress) {
      json.put("type", "progress");
    } else {
      WatchEvent.Changed changed = (WatchEvent.Changed) event;
      KvEvent kv = changed.event();
      if (kv.type() == KvEvent.Type.PUT) {
        json.put("type", "put").put("key", kv.key())
            .put("value", Base64.getEncoder().encodeToString(kv.keyValue().value()))
            .put("create_revision", kv.keyValue().createRevision())
            .put("mod_revision", kv.keyValue().modRevision())
            .put("version", kv.keyValue().version());
        if (kv.lease() != KvCommand.NO_LEASE) {
          json.put("lease", LeaseIds.format(kv.lease()));
        }
      } else {
        json.put("type", "delete").put("key", kv.key()).put("mod_revision", kv.revision());
      }
      json.put("group", changed.group());
    }
    json.put("position", event.position().token());
    return json;
  }

  private static ByteString closedLine(WatchEndedException ended) {
    return render(fillClosed(Json.object(), ended));
  }

  private static ObjectNode fillClosed(ObjectNode json, WatchEndedException ended) {
    json.put("type", "closed").put("error", ended.code().name()).put("message", ended.getMessage());
    if (ended.position() != null) {
      json.put("position", ended.position().token());
    }
    return json;
  }

  private static ByteString render(ObjectNode json) {
    try {
      return ByteString.fromArray(Json.MAPPER.writeValueAsBytes(json)).concat(ByteString.fromString("\n"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }
}
