package io.raftring.dashboard;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import io.raftring.CborSerializable;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One per node: reads the node's request totals once a second into a {@link RequestSeries} and answers who asks for
 * the samples. Registered with the receptionist under {@link #KEY}, so any node can find every node's agent
 * ({@link ClusterRequestStats}).
 */
public final class NodeRequestStats {

  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "raftring-request-stats");

  /** How often the totals are read: the width of one sample. */
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Samples kept: five minutes at one a second. */
  public static final int SAMPLES_KEPT = 300;

  public interface Command extends CborSerializable {}

  /** The samples ending after {@code sinceEpochSecond} (0 for all kept). */
  public record GetSamples(long sinceEpochSecond, ActorRef<Samples> replyTo) implements Command {}

  public record Samples(String node, List<RequestSample> samples) implements CborSerializable {}

  private enum Read implements Command, NoSerializationVerificationNeeded {
    TOTALS
  }

  private NodeRequestStats() {}

  /**
   * @param node        this node's name, named in every answer
   * @param totals      reads the node's cumulative request counters
   * @param epochMillis the wall clock the samples are stamped with
   */
  public static Behavior<Command> create(String node, Supplier<RequestTotals> totals, LongSupplier epochMillis) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
      RequestSeries series = new RequestSeries(SAMPLES_KEPT);
      series.record(epochMillis.getAsLong() / 1000, totals.get());
      return Behaviors.withTimers(timers -> {
        timers.startTimerAtFixedRate(Read.TOTALS, INTERVAL);
        return Behaviors.receive(Command.class)
            .onMessageEquals(Read.TOTALS, () -> {
              series.record(epochMillis.getAsLong() / 1000, totals.get());
              return Behaviors.same();
            })
            .onMessage(GetSamples.class, request -> {
              request.replyTo().tell(new Samples(node, series.since(request.sinceEpochSecond())));
              return Behaviors.same();
            })
            .build();
      });
    });
  }
}
