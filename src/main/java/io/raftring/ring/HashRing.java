package io.raftring.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A consistent-hash ring over the 2^32 positions of {@link Murmur3}, with a fixed number of virtual nodes per member.
 *
 * <p>Virtual node {@code i} of member {@code m} sits at the position of {@code "m#i"}. A name is owned by the first
 * virtual node clockwise from the name's own position (at or after it, wrapping past the top of the ring to its
 * lowest point).
 *
 * <p>RaftRing uses two rings: keys onto groups (members {@code "g0".."g{G-1}"}) and groups onto nodes (members are
 * node names). See {@link GroupPlacement}.
 *
 * <p>Immutable. The answers depend only on the set of members and the virtual node count, never on the order in which
 * members were given or added, so every node that knows the same members routes every key the same way.
 */
public final class HashRing {

  // 2^16 buckets (a 256 KB index) is enough for a million points; more would only grow the index.
  private static final int MAX_BUCKET_BITS = 16;

  private final int virtualNodesPerMember;
  private final SortedSet<String> members;
  // Parallel arrays: positions[i] ascending, owners[i] owns it. Positions are unsigned 32-bit values held in longs so
  // that plain comparisons order them the way the ring does.
  private final long[] positions;
  private final String[] owners;
  // bucketStart[b] is the first point at or after position b << bucketShift, with about one point per bucket, so a
  // lookup binary-searches a couple of points rather than the whole array (1 MB at G = 1024, V = 128). Searching the
  // whole array measured 2-6x slower on a loaded machine and crossed 1 us per lookup (docs/ring.md).
  private final int bucketShift;
  private final int[] bucketStart;

  private HashRing(int virtualNodesPerMember, SortedSet<String> members) {
    this.virtualNodesPerMember = virtualNodesPerMember;
    this.members = Collections.unmodifiableSortedSet(members);

    String[] sortedMembers = members.toArray(String[]::new);
    int pointCount = Math.multiplyExact(sortedMembers.length, virtualNodesPerMember);
    // Each point is packed as (position << 32 | index of its member in name order), so one primitive sort orders
    // points by position and breaks position collisions by member name: the same winner on every node. The sign bit
    // is flipped while sorting because Arrays.sort compares signed and positions are unsigned.
    long[] packed = new long[pointCount];
    int p = 0;
    for (int memberIndex = 0; memberIndex < sortedMembers.length; memberIndex++) {
      for (int vnode = 0; vnode < virtualNodesPerMember; vnode++) {
        long position = positionOf(virtualNodeName(sortedMembers[memberIndex], vnode));
        packed[p++] = (position << 32 | memberIndex) ^ Long.MIN_VALUE;
      }
    }
    Arrays.sort(packed);

    this.positions = new long[pointCount];
    this.owners = new String[pointCount];
    for (int i = 0; i < pointCount; i++) {
      long point = packed[i] ^ Long.MIN_VALUE;
      positions[i] = point >>> 32;
      owners[i] = sortedMembers[(int) point];
    }

    int bucketBits = Math.min(MAX_BUCKET_BITS, 31 - Integer.numberOfLeadingZeros(Math.max(pointCount, 1)));
    this.bucketShift = 32 - bucketBits;
    int bucketCount = 1 << bucketBits;
    this.bucketStart = new int[bucketCount + 1];
    int point = 0;
    for (int bucket = 0; bucket <= bucketCount; bucket++) {
      long bucketLow = (long) bucket << bucketShift;
      while (point < pointCount && positions[point] < bucketLow) {
        point++;
      }
      bucketStart[bucket] = point;
    }
  }

  public static HashRing of(Collection<String> members, int virtualNodesPerMember) {
    if (virtualNodesPerMember < 1) {
      throw new IllegalArgumentException("virtualNodesPerMember must be at least 1, was " + virtualNodesPerMember);
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String member : members) {
      sorted.add(requireMemberName(member));
    }
    return new HashRing(virtualNodesPerMember, sorted);
  }

  /** The position of a name on the ring: its Murmur3 hash read as an unsigned 32-bit number. */
  public static long positionOf(String name) {
    return Integer.toUnsignedLong(Murmur3.hash32(name));
  }

  static String virtualNodeName(String member, int vnode) {
    return member + "#" + vnode;
  }

  /** This ring with {@code member} added; this ring itself if it is already a member. */
  public HashRing withMember(String member) {
    if (members.contains(requireMemberName(member))) {
      return this;
    }
    TreeSet<String> next = new TreeSet<>(members);
    next.add(member);
    return new HashRing(virtualNodesPerMember, next);
  }

  /** This ring without {@code member}; this ring itself if it is not a member. */
  public HashRing withoutMember(String member) {
    if (!members.contains(member)) {
      return this;
    }
    TreeSet<String> next = new TreeSet<>(members);
    next.remove(member);
    return new HashRing(virtualNodesPerMember, next);
  }

  /** The member owning {@code key}: the owner of the first virtual node clockwise from the key's position. */
  public String lookup(String key) {
    return ownerAt(positionOf(key));
  }

  /**
   * The first {@code count} distinct members clockwise from {@code name}'s position, nearest first; all members, in
   * that order, if there are fewer than {@code count}. The first is {@link #lookup(String)} of the same name.
   */
  public List<String> preferenceList(String name, int count) {
    return preferencePoints(name, count).stream().map(Point::member).toList();
  }

  /**
   * The virtual nodes that made {@link #preferenceList(String, int)}: for each member, nearest first, the first of its
   * points clockwise from {@code name}'s position. The stretch from that position to the last of them is the part of
   * the ring that decides the list.
   */
  public List<Point> preferencePoints(String name, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    int wanted = Math.min(count, members.size());
    List<Point> result = new ArrayList<>(wanted);
    Set<String> seen = new HashSet<>();
    int start = firstPointAtOrAfter(positionOf(name));
    for (int step = 0; step < positions.length && result.size() < wanted; step++) {
      int i = (start + step) % positions.length;
      if (seen.add(owners[i])) {
        result.add(new Point(positions[i], owners[i]));
      }
    }
    return List.copyOf(result);
  }

  /** A virtual node: its position on the ring and the member it stands for. */
  public record Point(long position, String member) {}

  /** Every virtual node, by ascending position. */
  public List<Point> points() {
    List<Point> points = new ArrayList<>(positions.length);
    for (int i = 0; i < positions.length; i++) {
      points.add(new Point(positions[i], owners[i]));
    }
    return points;
  }

  /** The owner of the first virtual node at or clockwise after {@code position} (0 to 2^32 - 1). */
  public String ownerAt(long position) {
    if (positions.length == 0) {
      throw new IllegalStateException("the ring has no members");
    }
    return owners[firstPointAtOrAfter(position)];
  }

  private int firstPointAtOrAfter(long position) {
    int bucket = (int) (position >>> bucketShift);
    // Points before bucketStart[bucket] lie below this bucket, points from bucketStart[bucket + 1] on lie above it.
    int low = bucketStart[bucket];
    int high = bucketStart[bucket + 1];
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (positions[mid] < position) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    // Past the highest point the ring continues at its lowest.
    return low == positions.length ? 0 : low;
  }

  public SortedSet<String> members() {
    return members;
  }

  public int virtualNodesPerMember() {
    return virtualNodesPerMember;
  }

  private static String requireMemberName(String member) {
    Objects.requireNonNull(member, "member");
    if (member.isEmpty()) {
      throw new IllegalArgumentException("member name must not be empty");
    }
    return member;
  }

  /** Rings are equal when they have the same members and virtual node count, and then they answer alike. */
  @Override
  public boolean equals(Object other) {
    return other instanceof HashRing that
        && virtualNodesPerMember == that.virtualNodesPerMember
        && members.equals(that.members);
  }

  @Override
  public int hashCode() {
    return Objects.hash(virtualNodesPerMember, members);
  }

  @Override
  public String toString() {
    return "HashRing" + members + " x " + virtualNodesPerMember + " virtual nodes";
  }
}
