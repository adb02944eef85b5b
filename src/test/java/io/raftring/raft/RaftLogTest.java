package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftLogTest {

  /** A log holding one entry per given term, at indexes 1..n. */
  static RaftLog logWithTerms(long... terms) {
    RaftLog log = new RaftLog();
    log.truncateAndAppend(1, entries(1, terms));
    return log;
  }

  static List<LogEntry> entries(long fromIndex, long... terms) {
    List<LogEntry> list = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      list.add(LogEntry.command(fromIndex + i, terms[i], new byte[] {(byte) i}));
    }
    return list;
  }

  @Test
  void anEmptyLogMatchesOnlyAtIndexZero() {
    RaftLog log = new RaftLog();
    assertThat(log.lastIndex()).isZero();
    assertThat(log.lastTerm()).isZero();
    assertThat(log.matches(0, 0)).isTrue();
    assertThat(log.matches(1, 1)).isFalse();
    assertThat(log.termAt(1)).isEqualTo(-1);
  }

  @Test
  void logMatchingChecksTheTermAtPrevIndex() {
    RaftLog log = logWithTerms(1, 1, 2);
    assertThat(log.matches(2, 1)).isTrue();
    assertThat(log.matches(3, 2)).isTrue();
    assertThat(log.matches(3, 1)).isFalse();
    assertThat(log.matches(4, 2)).isFalse();
  }

  @Test
  void truncateAndAppendOverwritesTheConflictingSuffix() {
    RaftLog log = logWithTerms(1, 1, 2, 2);
    log.truncateAndAppend(3, entries(3, 3));
    assertThat(log.lastIndex()).isEqualTo(3);
    assertThat(log.termAt(3)).isEqualTo(3);
    assertThat(log.termAt(2)).isEqualTo(1);
  }

  @Test
  void appendRefusesGapsAndDisorder() {
    RaftLog log = logWithTerms(1);
    assertThatThrownBy(() -> log.truncateAndAppend(3, entries(3, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.truncateAndAppend(2, entries(3, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThat(log.lastIndex()).isEqualTo(1);
  }

  @Test
  void firstNewIndexSkipsEntriesAlreadyHeldSoDuplicatesNeverTruncate() {
    RaftLog log = logWithTerms(1, 1, 2, 2);
    assertThat(log.firstNewIndex(entries(2, 1, 2))).isEqualTo(-1);
    assertThat(log.firstNewIndex(entries(3, 2, 2, 2))).isEqualTo(5);
    assertThat(log.firstNewIndex(entries(3, 3))).isEqualTo(3);
  }

  @Test
  void sliceIsBoundedByCountAndBytesButAlwaysCarriesOneEntry() {
    RaftLog log = new RaftLog();
    List<LogEntry> big = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      big.add(LogEntry.command(i, 1, new byte[100]));
    }
    log.truncateAndAppend(1, big);
    assertThat(log.slice(1, 3, Long.MAX_VALUE)).hasSize(3);
    assertThat(log.slice(1, 10, 250)).hasSize(2);
    assertThat(log.slice(2, 10, 10)).hasSize(1);
    assertThat(log.slice(6, 10, 1000)).isEmpty();
  }

  @Test
  void conflictHintsFindTermBoundaries() {
    RaftLog log = logWithTerms(1, 1, 2, 2, 2, 4);
    assertThat(log.firstIndexOfTerm(2, 5)).isEqualTo(3);
    assertThat(log.firstIndexOfTerm(1, 2)).isEqualTo(1);
    assertThat(log.lastIndexOfTerm(2)).isEqualTo(5);
    assertThat(log.lastIndexOfTerm(3)).isEqualTo(-1);
    assertThat(log.lastIndexOfTerm(4)).isEqualTo(6);
  }
}
