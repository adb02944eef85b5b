package io.raftring.dashboard;

import io.raftring.ring.HashRing;
import java.util.ArrayList;
import java.util.List;

/**
 * The two rings drawn as arcs: on the node ring, each group's position and the stretch clockwise from it that picks
 * its replicas; on the group ring (keys onto groups), which group owns each stretch of key positions. Positions are
 * the ring's own, 0 to 2^32 - 1, clockwise; an arc whose end is not after its start wraps past the top, and one whose
 * end equals its start is the whole ring.
 */
public final class RingView {

  /** The size of the ring: positions are 0 to RING_SIZE - 1. */
  public static final long RING_SIZE = 1L << 32;

  /**
   * A group on the node ring: its position, and the virtual nodes that picked its replicas walking clockwise from
   * there, nearest first; the last of them ends the group's arc.
   */
  public record GroupArc(String group, long position, List<HashRing.Point> picked) {

    public long end() {
      return picked.get(picked.size() - 1).position();
    }

    public List<String> replicas() {
      return picked.stream().map(HashRing.Point::member).toList();
    }
  }

  /** Keys with positions in (start, end] belong to {@code group}. */
  public record KeyArc(long start, long end, String group) {}

  /**
   * The key ring's arcs. {@code sampled} is true when the ring had more virtual nodes than arcs asked for: then the
   * owner was read at evenly spaced positions, a picture of the ring rather than its exact boundaries.
   */
  public record KeyArcs(List<KeyArc> arcs, boolean sampled) {}

  private RingView() {}

  /** Each group's arc on {@code nodeRing}, for a replication factor of {@code replicas}. */
  public static List<GroupArc> groupArcs(HashRing nodeRing, List<String> groups, int replicas) {
    List<GroupArc> arcs = new ArrayList<>(groups.size());
    for (String group : groups) {
      arcs.add(new GroupArc(group, HashRing.positionOf(group), nodeRing.preferencePoints(group, replicas)));
    }
    return arcs;
  }

  /**
   * Who owns which keys on {@code groupRing}, neighbouring arcs of one owner merged: exact when the ring has at most
   * {@code maxArcs} virtual nodes, else read at {@code maxArcs} evenly spaced positions.
   */
  public static KeyArcs keyArcs(HashRing groupRing, int maxArcs) {
    List<HashRing.Point> points = groupRing.points();
    if (points.size() <= maxArcs) {
      return new KeyArcs(merged(points), false);
    }
    List<HashRing.Point> samples = new ArrayList<>(maxArcs);
    for (int k = 0; k < maxArcs; k++) {
      long position = k * RING_SIZE / maxArcs;
      samples.add(new HashRing.Point(position, groupRing.ownerAt(position)));
    }
    return new KeyArcs(merged(samples), true);
  }

  /** Point i owns (position of point i - 1, position of point i]; runs of one owner become one arc. */
  private static List<KeyArc> merged(List<HashRing.Point> points) {
    List<KeyArc> arcs = new ArrayList<>();
    int n = points.size();
    for (int i = 0; i < n; i++) {
      HashRing.Point point = points.get(i);
      long start = points.get((i - 1 + n) % n).position();
      KeyArc last = arcs.isEmpty() ? null : arcs.get(arcs.size() - 1);
      if (last != null && last.group().equals(point.member())) {
        arcs.set(arcs.size() - 1, new KeyArc(last.start(), point.position(), last.group()));
      } else {
        arcs.add(new KeyArc(start, point.position(), point.member()));
      }
    }
    if (arcs.size() > 1 && arcs.get(0).group().equals(arcs.get(arcs.size() - 1).group())) {
      KeyArc wrap = arcs.remove(arcs.size() - 1);
      arcs.set(0, new KeyArc(wrap.start(), arcs.get(0).end(), wrap.group()));
    }
    return arcs;
  }
}
