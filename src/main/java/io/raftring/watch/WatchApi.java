package io.raftring.watch;

import akka.NotUsed;
import akka.stream.javadsl.Source;

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
}
