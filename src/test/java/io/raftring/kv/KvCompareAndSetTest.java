package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compare-and-set puts and deletes: on mod_revision or on value; a failed condition changes nothing. */
class KvCompareAndSetTest {

  private final KvStateMachine machine = new KvStateMachine();

  /** Given "a" = "v1" at revision 2 (after "x" at 1), store revision 3 (after "y"). */
  @BeforeEach
  void givenAKeyWrittenAtRevisionTwo() {
    machine.apply(new KvCommand.Put("x", bytes("x")));
    machine.apply(new KvCommand.Put("a", bytes("v1")));
    machine.apply(new KvCommand.Put("y", bytes("y")));
  }

  @Test
  void casOnModRevisionZeroSucceedsOnlyWhenAbsent() {
    assertThat(machine.apply(KvCommand.putIfAbsent("new", bytes("n"))))
        .isEqualTo(new KvResult.Written(4, Optional.empty()));

    assertThat(machine.apply(KvCommand.putIfAbsent("a", bytes("other")))).isEqualTo(new KvResult.Conflict(2, 4));
    assertThat(machine.get("a").orElseThrow().value()).isEqualTo(bytes("v1"));
  }

  @Test
  void casOnModRevisionSucceedsWhenItMatches() {
    KvResult result = machine.apply(KvCommand.putIfModRevision("a", bytes("v2"), 2));

    assertThat(result).isEqualTo(new KvResult.Written(4, Optional.of(new KeyValue("a", bytes("v1"), 2, 2, 1))));
    assertThat(machine.get("a")).contains(new KeyValue("a", bytes("v2"), 2, 4, 2));
  }

  @Test
  void casOnModRevisionConflictsWithTheCurrentModRevisionWhenStale() {
    machine.apply(KvCommand.putIfModRevision("a", bytes("v2"), 2));

    KvResult stale = machine.apply(KvCommand.putIfModRevision("a", bytes("v3"), 2));

    assertThat(stale).isEqualTo(new KvResult.Conflict(4, 4));
    assertThat(machine.get("a").orElseThrow().value()).isEqualTo(bytes("v2"));
  }

  @Test
  void casOnANonZeroModRevisionConflictsWithZeroWhenTheKeyIsAbsent() {
    assertThat(machine.apply(KvCommand.putIfModRevision("missing", bytes("v"), 2)))
        .isEqualTo(new KvResult.Conflict(0, 3));
    assertThat(machine.get("missing")).isEmpty();
  }

  @Test
  void casOnValueSucceedsWhenTheValueMatches() {
    KvResult result = machine.apply(KvCommand.putIfValue("a", bytes("v2"), bytes("v1")));

    assertThat(result).isInstanceOf(KvResult.Written.class);
    assertThat(machine.get("a")).contains(new KeyValue("a", bytes("v2"), 2, 4, 2));
  }

  @Test
  void casOnValueConflictsWhenTheValueDiffers() {
    assertThat(machine.apply(KvCommand.putIfValue("a", bytes("v2"), bytes("not-v1"))))
        .isEqualTo(new KvResult.Conflict(2, 3));
    assertThat(machine.get("a").orElseThrow().value()).isEqualTo(bytes("v1"));
  }

  @Test
  void casOnValueConflictsWhenTheKeyIsAbsentEvenForAnEmptyExpectedValue() {
    assertThat(machine.apply(KvCommand.putIfValue("missing", bytes("v"), new byte[0])))
        .isEqualTo(new KvResult.Conflict(0, 3));
  }

  @Test
  void deleteIfModRevisionDeletesWhenItMatchesAndConflictsWhenStale() {
    assertThat(machine.apply(KvCommand.deleteIfModRevision("a", 1))).isEqualTo(new KvResult.Conflict(2, 3));
    assertThat(machine.get("a")).isPresent();

    KvResult result = machine.apply(KvCommand.deleteIfModRevision("a", 2));

    assertThat(result).isEqualTo(new KvResult.Deleted(4, Optional.of(new KeyValue("a", bytes("v1"), 2, 2, 1))));
    assertThat(machine.get("a")).isEmpty();
  }

  @Test
  void deleteIfModRevisionZeroHoldsOnlyForAnAbsentKeyAndThenDeletesNothing() {
    assertThat(machine.apply(KvCommand.deleteIfModRevision("missing", 0)))
        .isEqualTo(new KvResult.Deleted(3, Optional.empty()));
    assertThat(machine.apply(KvCommand.deleteIfModRevision("a", 0))).isEqualTo(new KvResult.Conflict(2, 3));
    assertThat(machine.revision()).isEqualTo(3);
  }

  @Test
  void deleteIfValueDeletesWhenItMatchesAndConflictsOtherwise() {
    assertThat(machine.apply(KvCommand.deleteIfValue("a", bytes("nope")))).isEqualTo(new KvResult.Conflict(2, 3));
    assertThat(machine.apply(KvCommand.deleteIfValue("missing", bytes("v1")))).isEqualTo(new KvResult.Conflict(0, 3));

    assertThat(machine.apply(KvCommand.deleteIfValue("a", bytes("v1")))).isInstanceOf(KvResult.Deleted.class);
    assertThat(machine.get("a")).isEmpty();
  }

  @Test
  void aFailedCasDoesNotRaiseTheRevisionNorTouchTheKey() {
    KeyValue before = machine.get("a").orElseThrow();

    machine.apply(KvCommand.putIfModRevision("a", bytes("v2"), 99));
    machine.apply(KvCommand.putIfValue("a", bytes("v2"), bytes("nope")));
    machine.apply(KvCommand.putIfAbsent("a", bytes("v2")));
    machine.apply(KvCommand.deleteIfModRevision("a", 99));
    machine.apply(KvCommand.deleteIfValue("a", bytes("nope")));

    assertThat(machine.revision()).isEqualTo(3);
    assertThat(machine.get("a")).contains(before);
  }

  @Test
  void aConflictTellsTheRevisionToRetryWithAndTheRetrySucceeds() {
    machine.apply(new KvCommand.Put("a", bytes("changed-by-someone-else")));

    KvResult.Conflict conflict = (KvResult.Conflict) machine.apply(KvCommand.putIfModRevision("a", bytes("mine"), 2));
    KvResult retry = machine.apply(KvCommand.putIfModRevision("a", bytes("mine"), conflict.currentModRevision()));

    assertThat(retry).isInstanceOf(KvResult.Written.class);
    assertThat(machine.get("a").orElseThrow().value()).isEqualTo(bytes("mine"));
  }
}
