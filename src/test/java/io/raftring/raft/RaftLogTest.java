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

  // ---- compaction (section 7) --------------------------------------------------------------------------------------

  @Test
  void compactingKeepsTheSnapshotPointsTermAndTheEntriesAfterIt() {
    RaftLog log = logWithTerms(1, 1, 2, 2, 3);
    log.compactTo(3, 2);
    assertThat(log.snapshotIndex()).isEqualTo(3);
    assertThat(log.firstIndex()).isEqualTo(4);
    assertThat(log.lastIndex()).isEqualTo(5);
    assertThat(log.lastTerm()).isEqualTo(3);
    assertThat(log.termAt(3)).as("the snapshot point still answers").isEqualTo(2);
    assertThat(log.termAt(2)).as("compacted").isEqualTo(-1);
    assertThat(log.entries()).extracting(LogEntry::index).containsExactly(4L, 5L);
    assertThat(log.entryAt(4).term()).isEqualTo(2);
    assertThatThrownBy(() -> log.entryAt(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void indexesCoveredByTheSnapshotMatchSinceTheyAreCommitted() {
    RaftLog log = logWithTerms(1, 1, 2, 2, 3);
    log.compactTo(4, 2);
    assertThat(log.matches(2, 1)).isTrue();
    assertThat(log.matches(0, 0)).isTrue();
    assertThat(log.matches(4, 2)).isTrue();
    assertThat(log.matches(4, 1)).isFalse();
    assertThat(log.matches(5, 3)).isTrue();
    assertThat(log.matches(6, 3)).isFalse();
  }

  @Test
  void entriesCoveredByTheSnapshotAreNeverNewSoAnOldAppendTruncatesNothing() {
    RaftLog log = logWithTerms(1, 1, 2, 2);
    log.compactTo(3, 2);
    assertThat(log.firstNewIndex(entries(2, 1, 2, 2))).isEqualTo(-1);
    assertThat(log.firstNewIndex(entries(2, 1, 2, 2, 2))).isEqualTo(5);
    log.truncateAndAppend(5, entries(5, 2));
    assertThat(log.lastIndex()).isEqualTo(5);
    assertThatThrownBy(() -> log.truncateAndAppend(3, entries(3, 2))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSnapshotThatTheLogDoesNotContainReplacesTheWholeLog() {
    RaftLog log = logWithTerms(1, 1, 2);
    log.compactTo(10, 4);
    assertThat(log.snapshotIndex()).isEqualTo(10);
    assertThat(log.lastIndex()).isEqualTo(10);
    assertThat(log.lastTerm()).isEqualTo(4);
    assertThat(log.entries()).isEmpty();
    assertThat(log.sizeBytes()).isZero();
    log.compactTo(5, 2);
    assertThat(log.snapshotIndex()).as("an older snapshot changes nothing").isEqualTo(10);

    RaftLog conflicting = logWithTerms(1, 1, 2, 2);
    conflicting.compactTo(3, 3);
    assertThat(conflicting.entries()).as("index 3 holds term 2, not 3: the suffix is not the snapshot's").isEmpty();
    assertThat(conflicting.lastIndex()).isEqualTo(3);
  }

  @Test
  void sliceAndConflictHintsStopAtTheSnapshot() {
    RaftLog log = logWithTerms(1, 2, 2, 2, 3);
    log.compactTo(2, 2);
    assertThat(log.slice(3, 10, Long.MAX_VALUE)).extracting(LogEntry::index).containsExactly(3L, 4L, 5L);
    assertThatThrownBy(() -> log.slice(2, 10, 100)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(log.firstIndexOfTerm(2, 4)).isEqualTo(3);
    assertThat(log.lastIndexOfTerm(2)).isEqualTo(4);
    assertThat(log.lastIndexOfTerm(1)).isEqualTo(-1);
  }

  @Test
  void sizeBytesCountsTheEntriesHeld() {
    RaftLog log = new RaftLog();
    log.truncateAndAppend(1, List.of(LogEntry.command(1, 1, new byte[10]), LogEntry.command(2, 1, new byte[20]),
        LogEntry.command(3, 1, new byte[30])));
    long overhead = LogEntry.OVERHEAD_BYTES;
    assertThat(log.sizeBytes()).isEqualTo(60 + 3 * overhead);
    log.truncateAndAppend(3, List.of(LogEntry.command(3, 2, new byte[5])));
    assertThat(log.sizeBytes()).isEqualTo(35 + 3 * overhead);
    log.compactTo(1, 1);
    assertThat(log.sizeBytes()).isEqualTo(25 + 2 * overhead);
  }
}
