package io.raftring.http;

import akka.NotUsed;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.watch.WatchApi;
import io.raftring.watch.WatchItem;
import io.raftring.watch.WatchMux;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The messages of {@code GET /v1/watch/ws}, an interactive watch stream over a WebSocket as etcd's gRPC Watch stream:
 * each client text message is one JSON command, {@code {"create":{"id":N?,"key":K | "prefix":P,"position":T?}}} or
 * {@code {"cancel":N}}, and each server text message one line of {@link WatchRoutes#json(WatchItem)}. What the
 * commands do is {@link WatchApi#watchStream}'s; this class reads them.
 *
 * <p>Reading is bounded: a message is read whole only up to {@link #MAX_MESSAGE_CHARS} (the rest of a longer one is
 * read and dropped) and within the body read timeout, one message at a time, so a client cannot make the node hold
 * more than one message of it; a binary message is read and dropped the same way. Anything that is not a command is
 * answered with an error line and changes nothing; the socket stays open.
 */
final class WatchSocket {

  /** The longest client message read, in characters. */
  static final int MAX_MESSAGE_CHARS = 64 * 1024;

  private final WatchApi watch;
  private final JsonLimits json;
  private final Duration readTimeout;

  WatchSocket(WatchApi watch, HttpSettings settings) {
    this.watch = watch;
    this.json = settings.json();
    this.readTimeout = settings.reads().bodyReadTimeout();
  }

  /** The socket's messages: commands in, lines out. */
  Flow<Message, Message, NotUsed> flow(Materializer materializer) {
    return Flow.<Message>create()
        .mapAsync(1, message -> command(message, materializer))
        // The commands' own source, handed to the watch stream whole: prefixAndTail(0) yields it as its tail.
        .prefixAndTail(0)
        .flatMapConcat(none -> watch.watchStream(none.second()))
        .map(item -> (Message) TextMessage.create(Json.MAPPER.writeValueAsString(WatchRoutes.json(item))));
  }

  private CompletionStage<WatchMux.Command> command(Message message, Materializer materializer) {
    if (!message.isText()) {
      CompletionStage<?> drained = message.isStrict() ? CompletableFuture.completedFuture(null)
          : message.asBinaryMessage().getStreamedData().completionTimeout(readTimeout)
              .runWith(Sink.ignore(), materializer);
      return drained.handle((ignored, failure) -> new WatchMux.Invalid(
          "binary messages are not read here: send each command as a text message of JSON"));
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      return CompletableFuture.completedFuture(text.getStrictText().length() > MAX_MESSAGE_CHARS
          ? tooLong() : parse(text.getStrictText()));
    }
    // Kept up to one character over the limit, the rest read and dropped.
    return text.getStreamedText().completionTimeout(readTimeout)
        .runFold(new StringBuilder(), (read, part) -> read.length() > MAX_MESSAGE_CHARS ? read
            : read.append(part, 0, Math.min(part.length(), MAX_MESSAGE_CHARS + 1 - read.length())), materializer)
        .handle((read, failure) -> {
          if (failure != null) {
            return new WatchMux.Invalid("the message did not end within " + readTimeout.toMillis() + " ms");
          }
          return read.length() > MAX_MESSAGE_CHARS ? tooLong() : parse(read.toString());
        });
  }

  /** A command from a text message, or what is wrong with it. */
  WatchMux.Command parse(String text) {
    try {
      JsonNode message = Json.readBounded(text.getBytes(StandardCharsets.UTF_8), json);
      if (!message.isObject() || message.size() != 1 || !(message.has("create") || message.has("cancel"))) {
        return new WatchMux.Invalid("a message is {\"create\":{\"id\":N (optional), \"key\":K or \"prefix\":P,"
            + " \"position\":T (optional)}} or {\"cancel\":N}, and nothing else");
      }
      if (message.has("cancel")) {
        return new WatchMux.Cancel(id("cancel", message.get("cancel")));
      }
      JsonNode create = message.get("create");
      JsonNode id = create.get("id");
      return new WatchMux.Create(id == null ? null : id("create.id", id),
          WatchRoutes.spec("create", create, Set.of("id")));
    } catch (RaftRingException e) {
      return new WatchMux.Invalid(e.getMessage());
    }
  }

  private static int id(String where, JsonNode id) {
    if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          where + " must be a watch id, a whole number from 0 to " + Integer.MAX_VALUE + ": " + id);
    }
    return id.intValue();
  }

  private static WatchMux.Command tooLong() {
    return new WatchMux.Invalid("a message holds at most " + MAX_MESSAGE_CHARS + " characters");
  }
}
