package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Revisions and versions behave as etcd's do. */
class KvRevisionsTest {

  private final KvStateMachine machine = new KvStateMachine();

  @Test
  void anEmptyStoreIsAtRevisionZero() {
    assertThat(machine.revision()).isZero();
    assertThat(machine.query(new KvQuery.Get("a"))).isEqualTo(new KvResult.NotFound(0));
  }

  @Test
  void theFirstPutCreatesTheKeyAtVersionOneWithCreateAndModRevisionEqual() {
    KvResult result = machine.apply(new KvCommand.Put("a", bytes("1")));

    assertThat(result).isEqualTo(new KvResult.Written(1, Optional.empty()));
    assertThat(machine.get("a")).contains(new KeyValue("a", bytes("1"), 1, 1, 1));
    assertThat(machine.revision()).isEqualTo(1);
  }

  @Test
  void puttingTwiceRaisesVersionAndModRevisionButKeepsCreateRevision() {
    machine.apply(new KvCommand.Put("a", bytes("1")));
    machine.apply(new KvCommand.Put("other", bytes("x")));

    KvResult result = machine.apply(new KvCommand.Put("a", bytes("2")));

    assertThat(result).isEqualTo(new KvResult.Written(3, Optional.of(new KeyValue("a", bytes("1"), 1, 1, 1))));
    assertThat(machine.get("a")).contains(new KeyValue("a", bytes("2"), 1, 3, 2));
  }

  @Test
  void puttingTheSameValueAgainIsStillAModification() {
    machine.apply(new KvCommand.Put("a", bytes("same")));
    machine.apply(new KvCommand.Put("a", bytes("same")));

    assertThat(machine.get("a")).contains(new KeyValue("a", bytes("same"), 1, 2, 2));
    assertThat(machine.revision()).isEqualTo(2);
  }

  @Test
  void deleteRemovesTheKeyReturnsItAndRaisesTheRevision() {
    machine.apply(new KvCommand.Put("a", bytes("1")));

    KvResult result = machine.apply(new KvCommand.Delete("a"));

    assertThat(result).isEqualTo(new KvResult.Deleted(2, Optional.of(new KeyValue("a", bytes("1"), 1, 1, 1))));
    assertThat(((KvResult.Deleted) result).deletedSomething()).isTrue();
    assertThat(machine.get("a")).isEmpty();
    assertThat(machine.query(new KvQuery.Get("a"))).isEqualTo(new KvResult.NotFound(2));
  }

  @Test
  void deleteThenPutStartsANewLifeWithANewCreateRevisionAndVersionOne() {
    machine.apply(new KvCommand.Put("a", bytes("1")));
    machine.apply(new KvCommand.Put("a", bytes("2")));
    machine.apply(new KvCommand.Delete("a"));

    KvResult result = machine.apply(new KvCommand.Put("a", bytes("3")));

    assertThat(result).isEqualTo(new KvResult.Written(4, Optional.empty()));
    assertThat(machine.get("a")).contains(new KeyValue("a", bytes("3"), 4, 4, 1));
  }

  @Test
  void deletingAMissingKeySucceedsWithoutRaisingTheRevision() {
    machine.apply(new KvCommand.Put("a", bytes("1")));

    KvResult result = machine.apply(new KvCommand.Delete("missing"));

    assertThat(result).isEqualTo(new KvResult.Deleted(1, Optional.empty()));
    assertThat(((KvResult.Deleted) result).deletedSomething()).isFalse();
    assertThat(machine.revision()).isEqualTo(1);
  }

  @Test
  void getAnswersTheValueItsThreeRevisionsAndTheStoreRevision() {
    machine.apply(new KvCommand.Put("a", bytes("1")));
    machine.apply(new KvCommand.Put("b", bytes("2")));
    machine.apply(new KvCommand.Put("a", bytes("3")));

    assertThat(machine.query(new KvQuery.Get("a")))
        .isEqualTo(new KvResult.Found(new KeyValue("a", bytes("3"), 1, 3, 2), 3));
  }

  @Test
  void valuesHandedOutAreCopiesSoCallersCannotChangeTheStore() {
    byte[] value = bytes("original");
    machine.apply(new KvCommand.Put("a", value));
    value[0] = 'X';
    machine.get("a").orElseThrow().value()[0] = 'Y';

    assertThat(machine.get("a").orElseThrow().value()).isEqualTo(bytes("original"));
  }
}
