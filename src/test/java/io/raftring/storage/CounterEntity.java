package io.raftring.storage;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.util.List;

/**
 * A small event-sourced counter, the shape of a Raft replica as far as storage is concerned: CBOR events written
 * singly and in batches, snapshots every few events with older events and snapshots deleted.
 */
final class CounterEntity extends EventSourcedBehavior<CounterEntity.Command, CounterEntity.Added, CounterEntity.State> {

  interface Command {}

  /** Adds every amount, all in one atomic write. */
  record Add(List<Integer> amounts, ActorRef<State> replyTo) implements Command {}

  record Get(ActorRef<State> replyTo) implements Command {}

  record Added(int amount) implements CborSerializable {
    @JsonCreator
    Added(@JsonProperty("amount") int amount) {
      this.amount = amount;
    }
  }

  record State(int total, int events) implements CborSerializable {}

  static final int SNAPSHOT_EVERY = 5;

  static Behavior<Command> create(String persistenceId) {
    return new CounterEntity(PersistenceId.ofUniqueId(persistenceId));
  }

  private CounterEntity(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public State emptyState() {
    return new State(0, 0);
  }

  @Override
  public CommandHandler<Command, Added, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Add.class, (state, add) -> Effect()
            .persist(add.amounts().stream().map(Added::new).toList())
            .thenReply(add.replyTo(), newState -> newState))
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<State, Added> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Added.class, (state, added) -> new State(state.total() + added.amount(), state.events() + 1))
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2).withDeleteEventsOnSnapshot();
  }
}
