package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A replica's identity round-trips through its entity id and its persistenceId; other ids are not replicas. */
class ReplicaIdTest {

  @Test
  void theReplicaOfAPersistenceIdIsFoundAgain() {
    ReplicaId id = new ReplicaId("g12", "node-4");
    assertThat(ReplicaId.fromPersistenceId(id.persistenceId())).isEqualTo(id);
    assertThat(ReplicaId.parseEntityId(id.entityId())).isEqualTo(id);
  }

  @Test
  void otherPersistenceIdsAreNoReplicas() {
    assertThat(ReplicaId.fromPersistenceId("counter-1")).isNull();
    assertThat(ReplicaId.fromPersistenceId("raft|g1")).isNull();
    assertThat(ReplicaId.fromPersistenceId("raft||n1")).isNull();
    assertThat(ReplicaId.fromPersistenceId("bft|g1|n1")).isNull();
  }
}
