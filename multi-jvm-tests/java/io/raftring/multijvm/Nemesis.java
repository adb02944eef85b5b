package io.raftring.multijvm;

import io.raftring.multijvm.NodeCluster.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The faults a scenario injects, each one line in a test: {@code Nemesis.crashLeader()}, {@code Nemesis.pause()},
 * {@code Nemesis.isolateLeader()}... A {@link Fault} is made against the cluster as it is at that moment (who leads,
 * which node is chosen), injected, held for a while by the runner, then healed: a killed node is restarted from its
 * data directory, a paused one resumed, a partition lifted.
 */
public final class Nemesis {

  /** How long healing may wait for restarted nodes to be ready. */
  static final Duration RESTART_READY_WITHIN = Duration.ofSeconds(60);

  private Nemesis() {}

  /** One fault, chosen when made. */
  public interface Fault {
    String describe();

    void inject();

    void heal();

    /** Nodes cut off from the majority while the fault holds: strong reads through them must be refused. */
    default List<Node> minority() {
      return List.of();
    }
  }

  /** Makes the next fault: a fault kind over a cluster and a source of randomness. */
  public interface Kind extends BiFunction<NodeCluster, Random, Fault> {
    /** The kind's name, for reports. */
    default String name() {
      return getClass().getSimpleName();
    }
  }

  /** SIGKILL the leader of a random group; heal restarts it. */
  public static Kind crashLeader() {
    return named("crash-leader", (cluster, random) -> {
      String group = randomGroup(cluster, random);
      Node leader = cluster.awaitLeader(group, Duration.ofSeconds(10));
      return crash("crash leader " + leader + " of " + group, cluster, List.of(leader));
    });
  }

  /** SIGKILL a random node; heal restarts it. */
  public static Kind crashRandom() {
    return named("crash-random", (cluster, random) -> {
      Node node = pick(cluster.nodes(), random);
      return crash("crash " + node, cluster, List.of(node));
    });
  }

  /** SIGKILL every node; heal starts them all again from their data directories. */
  public static Kind restartAll() {
    return named("restart-all", (cluster, random) -> crash("crash all nodes", cluster, cluster.nodes()));
  }

  /** SIGSTOP a random node (the leader of a random group half the time); heal sends SIGCONT. */
  public static Kind pause() {
    return named("pause", (cluster, random) -> {
      Node node = random.nextBoolean()
          ? cluster.awaitLeader(randomGroup(cluster, random), Duration.ofSeconds(10))
          : pick(cluster.nodes(), random);
      return new Fault() {
        @Override
        public String describe() {
          return "pause " + node;
        }

        @Override
        public void inject() {
          cluster.pause(node);
        }

        @Override
        public void heal() {
          cluster.resume(node);
        }
      };
    });
  }

  /** Cut the leader of a random group off from every other node. */
  public static Kind isolateLeader() {
    return named("isolate-leader", (cluster, random) -> {
      String group = randomGroup(cluster, random);
      Node leader = cluster.awaitLeader(group, Duration.ofSeconds(10));
      List<Node> rest = new ArrayList<>(cluster.nodes());
      rest.remove(leader);
      return partition("isolate leader " + leader + " of " + group, cluster, List.of(leader), rest);
    });
  }

  /** Split the nodes into a random minority and majority. */
  public static Kind majorityMinority() {
    return named("majority-minority", (cluster, random) -> {
      List<Node> shuffled = new ArrayList<>(cluster.nodes());
      Collections.shuffle(shuffled, random);
      int minoritySize = (shuffled.size() - 1) / 2;
      List<Node> minority = shuffled.subList(0, minoritySize);
      List<Node> majority = shuffled.subList(minoritySize, shuffled.size());
      return partition("partition minority " + minority + " | majority " + majority, cluster, List.copyOf(minority),
          List.copyOf(majority));
    });
  }

  /**
   * A bridge: the nodes split into two halves that cannot talk, except one node that sees both (with 3 nodes: a and c
   * are cut apart, b talks to both). Every node is still in some majority-connected component through the bridge.
   */
  public static Kind bridge() {
    return named("bridge", (cluster, random) -> {
      List<Node> shuffled = new ArrayList<>(cluster.nodes());
      Collections.shuffle(shuffled, random);
      Node bridge = shuffled.get(0);
      List<Node> others = shuffled.subList(1, shuffled.size());
      List<Node> left = List.copyOf(others.subList(0, others.size() / 2));
      List<Node> right = List.copyOf(others.subList(others.size() / 2, others.size()));
      return new Fault() {
        @Override
        public String describe() {
          return "bridge " + bridge + " between " + left + " and " + right;
        }

        @Override
        public void inject() {
          cluster.partition(left, right);
        }

        @Override
        public void heal() {
          cluster.heal();
        }
      };
    });
  }

  /** One of the given kinds at random each time. */
  public static Kind mix(Kind... kinds) {
    return named("mix", (cluster, random) -> kinds[random.nextInt(kinds.length)].apply(cluster, random));
  }

  // ---- building blocks

  static Fault crash(String description, NodeCluster cluster, List<Node> victims) {
    return new Fault() {
      @Override
      public String describe() {
        return description;
      }

      @Override
      public void inject() {
        victims.forEach(cluster::kill);
      }

      @Override
      public void heal() {
        victims.forEach(cluster::launch);
        cluster.awaitReady(victims, RESTART_READY_WITHIN);
      }
    };
  }

  static Fault partition(String description, NodeCluster cluster, List<Node> minority, List<Node> majority) {
    return new Fault() {
      @Override
      public String describe() {
        return description;
      }

      @Override
      public void inject() {
        cluster.partition(minority, majority);
      }

      @Override
      public void heal() {
        cluster.heal();
      }

      @Override
      public List<Node> minority() {
        return minority;
      }
    };
  }

  private static String randomGroup(NodeCluster cluster, Random random) {
    List<String> groups = cluster.placement().groups();
    return groups.get(random.nextInt(groups.size()));
  }

  private static <T> T pick(List<T> from, Random random) {
    return from.get(random.nextInt(from.size()));
  }

  private static Kind named(String name, BiFunction<NodeCluster, Random, Fault> make) {
    return new Kind() {
      @Override
      public Fault apply(NodeCluster cluster, Random random) {
        return make.apply(cluster, random);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
