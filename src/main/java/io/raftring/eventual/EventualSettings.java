package io.raftring.eventual;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;

/**
 * The eventual keyspace's settings, from {@code raftring.eventual} (reference.conf documents each with its unit and
 * default).
 *
 * @param enabled whether the node serves the eventual keyspace
 * @param replicas N: home replicas per key
 * @param defaultW how many replicas acknowledge a write that names no {@code w}
 * @param defaultR how many replicas answer a read that names no {@code r}
 * @param readResolution what a raw read of a key with siblings answers by default
 * @param readRepairChance the share of reads with R below the live replicas that ask them all, to repair them
 * @param maxClockDrift how far ahead of this node's wall clock another node's timestamp may be and still be followed
 * @param maxContextBytes the largest causal context a request may carry
 * @param maxSiblingBytes the most bytes a key's siblings may hold together after a write (a message carries them all)
 * @param handoff hinted handoff
 * @param antiEntropy Merkle-tree anti-entropy
 * @param tombstoneGrace how long a key stays a tombstone before it may be purged (also needs anti-entropy's word)
 * @param tombstoneSweepInterval how often purgeable tombstones are looked for
 */
public record EventualSettings(
    boolean enabled,
    int replicas,
    ReplicaCount defaultW,
    ReplicaCount defaultR,
    ReadResolution readResolution,
    double readRepairChance,
    Duration maxClockDrift,
    int maxContextBytes,
    long maxSiblingBytes,
    Handoff handoff,
    AntiEntropySettings antiEntropy,
    Duration tombstoneGrace,
    Duration tombstoneSweepInterval) {

  /** What a read of a key with siblings answers when the client asks for the raw value. */
  public enum ReadResolution {
    /** The newest sibling by hybrid logical clock (200), saying how many there were. */
    LWW,
    /** All of them (300 Multiple Choices with a JSON list). */
    SIBLINGS
  }

  /**
   * @param interval how often hints are offered to owners that are back
   * @param batch hints sent to one owner per round
   * @param maxHints most hints kept
   * @param maxBytes most bytes of hints kept
   * @param maxAge age after which a hint is dropped rather than handed off
   * @param expireInterval how often old hints are looked for
   * @param replayTimeout how long one handed-off hint may wait for its owner's acknowledgement
   * @param maxBytesPerSecond bytes of hints handed off per second
   */
  public record Handoff(Duration interval, int batch, int maxHints, long maxBytes, Duration maxAge,
      Duration expireInterval, Duration replayTimeout, long maxBytesPerSecond) {}

  /**
   * @param interval how often this node starts an exchange with one peer (each in turn)
   * @param leafBits the trees have 2^leafBits leaves
   * @param fanOutBits inner nodes have 2^fanOutBits children
   * @param maxLeavesPerExchange differing leaves repaired per exchange; the rest wait for the next
   * @param maxBytesPerSecond bytes of values moved per second
   * @param requestTimeout how long one step of an exchange may wait for the peer
   */
  public record AntiEntropySettings(Duration interval, int leafBits, int fanOutBits, int maxLeavesPerExchange,
      long maxBytesPerSecond, Duration requestTimeout) {}

  public EventualSettings {
    if (replicas < 1) {
      throw new IllegalArgumentException("raftring.eventual.replicas must be at least 1, was " + replicas);
    }
    defaultW.resolve(replicas);
    if (!(readRepairChance >= 0 && readRepairChance <= 1)) {
      throw new IllegalArgumentException("raftring.eventual.read-repair-chance must be within [0, 1], was "
          + readRepairChance);
    }
    defaultR.resolve(replicas);
    if (tombstoneGrace.compareTo(handoff.maxAge()) <= 0) {
      // A hint older than a purged tombstone could bring back the value the delete removed.
      throw new IllegalArgumentException("raftring.eventual.tombstones.grace (" + tombstoneGrace
          + ") must be longer than raftring.eventual.hinted-handoff.max-age (" + handoff.maxAge() + ")");
    }
  }

  public static EventualSettings fromConfig(Config config) {
    Config e = config.getConfig("raftring.eventual");
    Config h = e.getConfig("hinted-handoff");
    Config a = e.getConfig("anti-entropy");
    return new EventualSettings(
        e.getBoolean("enabled"),
        e.getInt("replicas"),
        parseCount(e.getString("default-w"), "default-w"),
        parseCount(e.getString("default-r"), "default-r"),
        ReadResolution.valueOf(e.getString("read-resolution").toUpperCase(Locale.ROOT)),
        e.getDouble("read-repair-chance"),
        e.getDuration("max-clock-drift"),
        (int) Math.min(Integer.MAX_VALUE, e.getBytes("max-context-bytes")),
        e.getBytes("max-sibling-bytes"),
        new Handoff(h.getDuration("interval"), h.getInt("batch"), h.getInt("max-hints"), h.getBytes("max-bytes"),
            h.getDuration("max-age"), h.getDuration("expire-interval"), h.getDuration("replay-timeout"),
            h.getBytes("max-bytes-per-second")),
        new AntiEntropySettings(a.getDuration("interval"), a.getInt("leaf-bits"), a.getInt("fan-out-bits"),
            a.getInt("max-leaves-per-exchange"), a.getBytes("max-bytes-per-second"), a.getDuration("request-timeout")),
        e.getDuration("tombstones.grace"),
        e.getDuration("tombstones.sweep-interval"));
  }

  private static ReplicaCount parseCount(String text, String name) {
    try {
      return ReplicaCount.parse(text);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("raftring.eventual." + name + " " + ex.getMessage(), ex);
    }
  }
}
