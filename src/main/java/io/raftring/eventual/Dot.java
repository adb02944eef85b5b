package io.raftring.eventual;

import java.util.Objects;

/**
 * One write event: the actor that coordinated it and that actor's counter. An actor is one node in one run of its
 * process ({@link ActorIdentity}), and its counters only grow, so a dot names exactly one write of one key forever.
 */
public record Dot(String actor, long counter) implements Comparable<Dot> {

  public Dot {
    Objects.requireNonNull(actor, "actor");
    if (actor.isEmpty()) {
      throw new IllegalArgumentException("a dot's actor must not be empty");
    }
    if (counter < 1) {
      throw new IllegalArgumentException("a dot's counter must be at least 1, was " + counter);
    }
  }

  @Override
  public int compareTo(Dot other) {
    int byActor = actor.compareTo(other.actor);
    return byActor != 0 ? byActor : Long.compare(counter, other.counter);
  }

  @Override
  public String toString() {
    return actor + ":" + counter;
  }
}
