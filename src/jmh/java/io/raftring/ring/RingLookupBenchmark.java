package io.raftring.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Key -> group lookup, the routing step every request takes. Run through bench/ring-bench.sh.
 *
 * <p>{@code keyToGroup} is the whole step (UTF-8 encode, Murmur3, binary search over G * V points);
 * {@code hashOnly} isolates the hashing so the search cost is the difference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingLookupBenchmark {

  @Param("1024")
  int groupCount;

  @Param("128")
  int virtualNodesPerMember;

  // More distinct keys than fit in L1, typical key length; cycled so the branch predictor cannot learn one answer.
  private static final int KEY_COUNT = 1 << 14;

  private GroupPlacement placement;
  private String[] keys;
  private int next;

  @Setup
  public void setUp() {
    placement = GroupPlacement.of(groupCount, 3, virtualNodesPerMember, List.of("node-0", "node-1", "node-2"));
    List<String> generated = new ArrayList<>(KEY_COUNT);
    for (int i = 0; i < KEY_COUNT; i++) {
      generated.add("user:" + (i * 7919) + ":profile");
    }
    keys = generated.toArray(String[]::new);
  }

  @Benchmark
  public String keyToGroup() {
    return placement.groupOf(nextKey());
  }

  @Benchmark
  public long hashOnly() {
    return HashRing.positionOf(nextKey());
  }

  private String nextKey() {
    return keys[next++ & (KEY_COUNT - 1)];
  }
}
