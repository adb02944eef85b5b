package io.raftring.eventual;

/** How two version vectors relate: one saw the other (before/after), both saw the same, or neither saw the other. */
public enum Causality {
  /** The first saw strictly less than the second: the second supersedes it. */
  BEFORE,
  /** The first saw strictly more than the second: it supersedes the second. */
  AFTER,
  EQUAL,
  /** Each saw an event the other did not: siblings. */
  CONCURRENT
}
