package io.raftring.ring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What the consistent-hashing tests and {@link RingReport} measure. Keys are a fixed set ("key-0".."key-{n-1}") so
 * results repeat; they are hashed once and placements are asked by position, which keeps many measurements fast.
 */
final class RingMeasurements {

  private RingMeasurements() {}

  static long[] keyPositions(int count) {
    long[] positions = new long[count];
    for (int i = 0; i < count; i++) {
      positions[i] = HashRing.positionOf("key-" + i);
    }
    return positions;
  }

  static List<String> memberNames(String prefix, int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(prefix + i);
    }
    return names;
  }

  /** How unevenly keys fall on members: 1.0 and 0.0 would be a perfectly even split. */
  record LoadSpread(double maxOverMean, double stddevOverMean) {}

  static LoadSpread loadSpread(LongFunction<String> placement, Collection<String> members, long[] keyPositions) {
    List<String> owners = new ArrayList<>(keyPositions.length);
    for (long position : keyPositions) {
      owners.add(placement.apply(position));
    }
    return loadSpread(owners, members);
  }

  /** The spread of {@code owners} (one entry per placed item, naming its member) over {@code members}. */
  static LoadSpread loadSpread(List<String> owners, Collection<String> members) {
    Map<String, Integer> counts = new HashMap<>();
    for (String member : members) {
      counts.put(member, 0);
    }
    for (String owner : owners) {
      counts.merge(owner, 1, Integer::sum);
    }
    double mean = (double) owners.size() / members.size();
    double max = 0;
    double squaredDeviations = 0;
    for (int count : counts.values()) {
      max = Math.max(max, count);
      squaredDeviations += (count - mean) * (count - mean);
    }
    double stddev = Math.sqrt(squaredDeviations / members.size());
    return new LoadSpread(max / mean, stddev / mean);
  }

  static double movedFraction(LongFunction<String> before, LongFunction<String> after, long[] keyPositions) {
    int moved = 0;
    for (long position : keyPositions) {
      if (!before.apply(position).equals(after.apply(position))) {
        moved++;
      }
    }
    return (double) moved / keyPositions.length;
  }

  /** The naive scheme the seed starts from: member number hash(key) mod N. */
  static LongFunction<String> moduloPlacement(List<String> members) {
    return position -> members.get((int) (position % members.size()));
  }
}
