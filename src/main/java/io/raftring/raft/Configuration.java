package io.raftring.raft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * A group's configuration (dissertation chapter 4): the voters, whose majority commits entries and elects leaders,
 * and the learners, who receive the log but never count toward a quorum and never campaign. A replica's current
 * configuration is the latest CONFIG entry in its log, whether committed or not (section 4.1), else its snapshot's,
 * else the one it was bootstrapped with. The empty configuration is that of a replica waiting to learn its group.
 */
public record Configuration(Set<String> voters, Set<String> learners) implements CborSerializable {

  public static final Configuration EMPTY = new Configuration(Set.of(), Set.of());

  @JsonCreator
  public Configuration(@JsonProperty("voters") Set<String> voters, @JsonProperty("learners") Set<String> learners) {
    this.voters = Set.copyOf(new TreeSet<>(voters == null ? Set.of() : voters));
    this.learners = Set.copyOf(new TreeSet<>(learners == null ? Set.of() : learners));
    for (String l : this.learners) {
      if (this.voters.contains(l)) {
        throw new IllegalArgumentException(l + " cannot be both voter and learner");
      }
    }
  }

  public static Configuration ofVoters(Set<String> voters) {
    return new Configuration(voters, Set.of());
  }

  public boolean isVoter(String node) {
    return voters.contains(node);
  }

  public boolean isLearner(String node) {
    return learners.contains(node);
  }

  public boolean isMember(String node) {
    return isVoter(node) || isLearner(node);
  }

  public boolean isEmpty() {
    return voters.isEmpty() && learners.isEmpty();
  }

  /** Voters and learners: everyone the leader replicates to. */
  public Set<String> members() {
    TreeSet<String> all = new TreeSet<>(voters);
    all.addAll(learners);
    return all;
  }

  public Configuration withLearner(String node) {
    TreeSet<String> l = new TreeSet<>(learners);
    l.add(node);
    return new Configuration(voters, l);
  }

  public Configuration promoted(String node) {
    TreeSet<String> v = new TreeSet<>(voters);
    TreeSet<String> l = new TreeSet<>(learners);
    l.remove(node);
    v.add(node);
    return new Configuration(v, l);
  }

  public Configuration without(String node) {
    TreeSet<String> v = new TreeSet<>(voters);
    TreeSet<String> l = new TreeSet<>(learners);
    v.remove(node);
    l.remove(node);
    return new Configuration(v, l);
  }

  /** The bytes of a CONFIG log entry: {@code "v=a,b,c;l=d"}, node names being free of ',' ';' '=' by ReplicaId. */
  public byte[] encode() {
    return ("v=" + String.join(",", new TreeSet<>(voters)) + ";l=" + String.join(",", new TreeSet<>(learners)))
        .getBytes(StandardCharsets.UTF_8);
  }

  public static Configuration decode(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    Set<String> voters = new TreeSet<>();
    Set<String> learners = new TreeSet<>();
    for (String part : text.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("not a configuration: " + text);
      }
      Set<String> into = switch (part.substring(0, eq)) {
        case "v" -> voters;
        case "l" -> learners;
        default -> throw new IllegalArgumentException("not a configuration: " + text);
      };
      for (String node : part.substring(eq + 1).split(",")) {
        if (!node.isEmpty()) {
          into.add(node);
        }
      }
    }
    return new Configuration(voters, learners);
  }

  @Override
  public String toString() {
    return "voters " + new TreeSet<>(voters) + (learners.isEmpty() ? "" : " learners " + new TreeSet<>(learners));
  }
}
