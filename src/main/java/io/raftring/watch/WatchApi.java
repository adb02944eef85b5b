package io.raftring.watch;

import akka.NotUsed;
import akka.japi.pf.PFBuilder;
import akka.stream.javadsl.Source;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Watches: a stream of the committed changes of a key or of every key with a prefix, served by any node.
 *
 * <p>The source's first element is {@link WatchEvent.Created}; then come the matching changes, each key's in its
 * commit order, with {@link WatchEvent.Progress} while nothing matches. It runs until cancelled, or fails with a
 * {@link WatchEndedException} whose position resumes it (another {@code watch} from that position repeats nothing and
 * misses nothing), or with COMPACTED when the position fell out of the history kept. Each materialization is one
 * watch.
 */
public interface WatchApi {

  /**
   * Watches {@code filter}'s keys from {@code from}, or from now when it is null. Bad input (a key over the size
   * limit, a position that does not belong to this filter's groups) fails the source with BAD_REQUEST.
   */
  Source<WatchEvent, NotUsed> watch(WatchFilter filter, WatchPosition from);

  /** Watches one {@link #watchAll} stream carries at most. */
  int MAX_WATCHES_PER_STREAM = 1000;

  /**
   * Many watches as one stream, the way etcd's clients share one stream among all their watches: each element is
   * one watch's event or its end, tagged with the watch's index in {@code watches}. Each watch behaves as its own
   * {@link #watch} would; one that cannot start or that ends (bad input, COMPACTED, OVERLOADED, NOT_READY) ends alone
   * with its reason while the others run on, and the stream completes once every watch has ended. One stream costs
   * the serving node one connection's stream stages and writes for all its watches, where a stream per watch costs
   * them per watch.
   */
  default Source<WatchItem, NotUsed> watchAll(List<WatchSpec> watches) {
    try {
      requireStreamSize(watches.size());
    } catch (RaftRingException e) {
      return Source.failed(e);
    }
    List<WatchSpec> specs = List.copyOf(watches);
    return Source.from(IntStream.range(0, specs.size()).boxed().toList())
        .flatMapMerge(specs.size(), index -> watch(specs.get(index).filter(), specs.get(index).from())
            .<WatchItem>map(event -> new WatchItem.Event(index, event))
            .recover(new PFBuilder<Throwable, WatchItem>()
                .matchAny(failure -> new WatchItem.End(index, WatchEndedException.of(failure)))
                .build()));
  }

  /**
   * Watches created and cancelled while the stream runs, as on etcd's Watch stream: each {@link WatchMux.Create} of
   * {@code commands} opens a watch under the client's id or the next free one, each {@link WatchMux.Cancel} ends one.
   * The elements are the watches' events and ends tagged with their ids, as {@link #watchAll}'s, a
   * {@link WatchItem.Canceled} answering each cancel (nothing more comes for that watch), and a
   * {@link WatchItem.Refused} for each command that changed nothing (an id open already, a cancel of no open watch,
   * an {@link WatchMux.Invalid} message). At most {@link #MAX_WATCHES_PER_STREAM} watches are open at once: a create
   * beyond that ends its watch at once with OVERLOADED. The stream completes when {@code commands} does, ending every
   * watch still open; cancelling it ends them too.
   */
  default Source<WatchItem, NotUsed> watchStream(Source<WatchMux.Command, ?> commands) {
    return WatchMux.source(this, commands);
  }

  /** Throws BAD_REQUEST unless {@code watches} is 1 to {@link #MAX_WATCHES_PER_STREAM}. */
  static void requireStreamSize(int watches) {
    if (watches < 1 || watches > MAX_WATCHES_PER_STREAM) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "a watch stream carries 1 to " + MAX_WATCHES_PER_STREAM + " watches, not " + watches);
    }
  }
}
