package io.raftring.eventual;

import java.util.List;

/**
 * What a read found: the merge of the answering replicas' values (its siblings, tombstones included, and its clock,
 * the causal context to pass back with the next write) and which nodes answered.
 */
public record EventualRead(String key, VersionedValue value, List<String> answeredBy) {

  public EventualRead {
    answeredBy = List.copyOf(answeredBy);
  }

  /** The siblings that are not tombstones. */
  public List<Sibling> live() {
    return value.siblings().stream().filter(s -> !s.isTombstone()).toList();
  }

  /** No value: never written, or deleted (its newest sibling, by last-writer-wins, is a tombstone). */
  public boolean notFound() {
    Sibling newest = value.newest();
    return newest == null || newest.isTombstone();
  }

  public VersionVector context() {
    return value.clock();
  }
}
