package io.raftring.watch;

import akka.NotUsed;
import akka.japi.pf.PFBuilder;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Source;
import io.raftring.api.ErrorCode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One interactive watch stream ({@link WatchApi#watchStream}): watches created and cancelled while it runs, merged
 * into one stream of {@link WatchItem}s.
 *
 * <p>Each command becomes a substream of one {@code flatMapMerge}, as {@link WatchApi#watchAll}'s watches are: a
 * create's watch behind its own kill switch, or a single answer (canceled, refused, a create over the limit). The
 * merge runs up to {@link WatchApi#MAX_WATCHES_PER_STREAM} watches and one answer at a time, holding at most one
 * element of each, so nothing here buffers more than that: a client that stops reading stops the commands being
 * read and leaves each watch to its own slow-watcher bound. Which ids are open, and which elements still go out, is
 * {@link WatchStreamIds}'s; the commands and the elements pass one stage each, in one stream, so the two agree.
 */
public final class WatchMux {

  /** What a client sends on an interactive watch stream. */
  public sealed interface Command {}

  /** Open {@code spec} as watch {@code id} (0 or more), or under the next free id when {@code id} is null. */
  public record Create(Integer id, WatchSpec spec) implements Command {
    public Create {
      Objects.requireNonNull(spec, "spec");
      if (id != null && id < 0) {
        throw new IllegalArgumentException("watch ids are 0 or more: " + id);
      }
    }
  }

  /** End watch {@code id}. */
  public record Cancel(int id) implements Command {}

  /** A client message that is no command ({@code message} says why): refused, it changes nothing. */
  public record Invalid(String message) implements Command {
    public Invalid {
      Objects.requireNonNull(message, "message");
    }
  }

  /** An element on its way out: of watch generation {@code generation}, or an answer to a command (0). */
  private record Tagged(long generation, WatchItem item) {}

  private static final long ANSWER = 0;

  private final WatchApi api;
  private final WatchStreamIds ids = new WatchStreamIds(WatchApi.MAX_WATCHES_PER_STREAM);
  /** The kill switch of each watch generation that runs; taken out when its substream ends. */
  private final Map<Long, UniqueKillSwitch> running = new ConcurrentHashMap<>();

  private WatchMux(WatchApi api) {
    this.api = api;
  }

  /** {@link WatchApi#watchStream}: a fresh mux, with its own ids, for each materialization. */
  static Source<WatchItem, NotUsed> source(WatchApi api, Source<Command, ?> commands) {
    return Source.<WatchItem, NotUsed>fromMaterializer((materializer, attributes) -> new WatchMux(api).run(commands))
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private Source<WatchItem, NotUsed> run(Source<Command, ?> commands) {
    // An empty Optional marks the end of the commands: every watch still open ends with it.
    return commands.map(Optional::of).concat(Source.single(Optional.<Command>empty()))
        .map(this::decide)
        .flatMapMerge(WatchApi.MAX_WATCHES_PER_STREAM + 1, answer -> answer)
        .filter(this::goesOut)
        .map(Tagged::item)
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private synchronized Source<Tagged, NotUsed> decide(Optional<Command> next) {
    if (next.isEmpty()) {
      ids.closeAll();
      running.values().forEach(UniqueKillSwitch::shutdown);
      return Source.empty();
    }
    Command command = next.get();
    if (command instanceof Invalid invalid) {
      return answer(new WatchItem.Refused(invalid.message()));
    }
    if (command instanceof Cancel cancel) {
      OptionalLong generation = ids.cancel(cancel.id());
      if (generation.isEmpty()) {
        return answer(new WatchItem.Refused("no watch " + cancel.id() + " is open on this stream"));
      }
      Optional.ofNullable(running.get(generation.getAsLong())).ifPresent(UniqueKillSwitch::shutdown);
      return answer(new WatchItem.Canceled(cancel.id()));
    }
    Create create = (Create) command;
    WatchStreamIds.Created created = ids.create(create.id());
    if (created instanceof WatchStreamIds.Duplicate duplicate) {
      return answer(new WatchItem.Refused("watch " + duplicate.id() + " is open on this stream already: cancel it"
          + " first, or leave out the id to be given a free one"));
    }
    if (created instanceof WatchStreamIds.Full full) {
      return answer(new WatchItem.End(full.id(), new WatchEndedException(ErrorCode.OVERLOADED,
          "this stream carries " + full.limit() + " watches already: cancel one first, or open another stream",
          null)));
    }
    WatchStreamIds.Opened opened = (WatchStreamIds.Opened) created;
    return open(opened.id(), opened.generation(), create.spec());
  }

  private Source<Tagged, NotUsed> open(int id, long generation, WatchSpec spec) {
    return api.watch(spec.filter(), spec.from())
        .viaMat(KillSwitches.single(), Keep.right())
        .watchTermination((killSwitch, done) -> {
          started(id, generation, killSwitch);
          done.whenComplete((ok, failure) -> running.remove(generation));
          return NotUsed.getInstance();
        })
        .map(event -> new Tagged(generation, new WatchItem.Event(id, event)))
        .recover(new PFBuilder<Throwable, Tagged>()
            .matchAny(failure -> new Tagged(generation, new WatchItem.End(id, WatchEndedException.of(failure))))
            .build());
  }

  /** Keeps a watch's kill switch while it may be cancelled; one already closed again stops at once. */
  private synchronized void started(int id, long generation, UniqueKillSwitch killSwitch) {
    if (ids.isOpen(id, generation)) {
      running.put(generation, killSwitch);
    } else {
      killSwitch.shutdown();
    }
  }

  private synchronized boolean goesOut(Tagged tagged) {
    return tagged.generation() == ANSWER
        || ids.deliver(tagged.item().watch(), tagged.generation(), tagged.item() instanceof WatchItem.End);
  }

  private static Source<Tagged, NotUsed> answer(WatchItem item) {
    return Source.single(new Tagged(ANSWER, item));
  }
}
