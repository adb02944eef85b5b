package io.raftring.ring;

import static io.raftring.ring.RingMeasurements.keyPositions;
import static io.raftring.ring.RingMeasurements.loadSpread;
import static io.raftring.ring.RingMeasurements.memberNames;
import static io.raftring.ring.RingMeasurements.moduloPlacement;
import static io.raftring.ring.RingMeasurements.movedFraction;

import io.raftring.ring.RingMeasurements.LoadSpread;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Prints the measurements behind docs/ring.md. Regenerate with:
 *
 * <pre>
 * mvn -o -q -DskipTests test-compile &amp;&amp; java -cp target/test-classes:target/classes io.raftring.ring.RingReport
 * </pre>
 */
public final class RingReport {

  private static final int KEY_COUNT = 100_000;
  private static final int[] VIRTUAL_NODE_COUNTS = {1, 10, 100, 128, 1000};

  public static void main(String[] args) {
    long[] keys = keyPositions(KEY_COUNT);
    printVirtualNodeTable(keys, 10);
    printVirtualNodeSpreadOverManyClusters(keys, 10, 50);
    printMemberCountTable(keys, 128);
    printGroupPlacementTable(1024, 3, 10);
    printBuildCost(1024);
  }

  private static void printVirtualNodeTable(long[] keys, int memberCount) {
    List<String> members = memberNames("node-", memberCount);
    List<String> grown = memberNames("node-", memberCount + 1);
    String added = grown.get(memberCount);
    String removed = members.get(0);
    double moduloMoved = movedFraction(moduloPlacement(members), moduloPlacement(grown), keys);
    LoadSpread moduloSpread = loadSpread(moduloPlacement(members), members, keys);

    System.out.printf("N = %d members (node-0..node-%d), %,d keys (key-0..key-%d)%n",
        memberCount, memberCount - 1, keys.length, keys.length - 1);
    System.out.printf("ideal moved fraction on add 1/(N+1) = %.4f; hash%%N ideal N/(N+1) = %.4f%n%n",
        1.0 / (memberCount + 1), (double) memberCount / (memberCount + 1));
    System.out.println("|     V | max/mean | stddev/mean | moved on add (+" + added + ") | moved on remove (-"
        + removed + ") | hash%N moved on add |");
    System.out.println("|------:|---------:|------------:|------------------------:|--------------------------:|"
        + "--------------------:|");
    for (int v : VIRTUAL_NODE_COUNTS) {
      HashRing ring = HashRing.of(members, v);
      LoadSpread spread = loadSpread(ring::ownerAt, members, keys);
      double movedOnAdd = movedFraction(ring::ownerAt, ring.withMember(added)::ownerAt, keys);
      double movedOnRemove = movedFraction(ring::ownerAt, ring.withoutMember(removed)::ownerAt, keys);
      System.out.printf("| %5d | %8.3f | %11.3f | %23.4f | %25.4f | %19.4f |%n",
          v, spread.maxOverMean(), spread.stddevOverMean(), movedOnAdd, movedOnRemove, moduloMoved);
    }
    System.out.printf("%nFloor for comparison: hash%%N spreads the same keys with max/mean %.3f, stddev/mean %.3f;"
        + " that is the sampling noise of %,d keys, not ring imbalance.%n%n",
        moduloSpread.maxOverMean(), moduloSpread.stddevOverMean(), keys.length);
  }

  /** One member set can be lucky; the worst of many shows what an operator may actually get. */
  private static void printVirtualNodeSpreadOverManyClusters(long[] keys, int memberCount, int clusters) {
    System.out.printf("Same N = %d, %d different member-name sets (c<k>-node-0..), %,d keys:%n%n",
        memberCount, clusters, keys.length);
    System.out.println("|     V | mean max/mean | worst max/mean | mean stddev/mean | worst moved on add "
        + "| best moved on add |");
    System.out.println("|------:|--------------:|---------------:|-----------------:|-------------------:"
        + "|------------------:|");
    for (int v : VIRTUAL_NODE_COUNTS) {
      double sumMax = 0;
      double worstMax = 0;
      double sumStddev = 0;
      double worstMoved = 0;
      double bestMoved = 1;
      for (int c = 0; c < clusters; c++) {
        String prefix = "c" + c + "-node-";
        List<String> members = memberNames(prefix, memberCount);
        HashRing ring = HashRing.of(members, v);
        LoadSpread spread = loadSpread(ring::ownerAt, members, keys);
        double moved = movedFraction(ring::ownerAt, ring.withMember(prefix + memberCount)::ownerAt, keys);
        sumMax += spread.maxOverMean();
        worstMax = Math.max(worstMax, spread.maxOverMean());
        sumStddev += spread.stddevOverMean();
        worstMoved = Math.max(worstMoved, moved);
        bestMoved = Math.min(bestMoved, moved);
      }
      System.out.printf("| %5d | %13.3f | %14.3f | %16.3f | %18.4f | %17.4f |%n",
          v, sumMax / clusters, worstMax, sumStddev / clusters, worstMoved, bestMoved);
    }
    System.out.println();
  }

  /** The seed: the more nodes, the more hash%N moves and the less consistent hashing moves. */
  private static void printMemberCountTable(long[] keys, int virtualNodes) {
    System.out.printf("Adding one member to N, V = %d, %,d keys:%n%n", virtualNodes, keys.length);
    System.out.println("|   N | ring moved | 1/(N+1) | hash%N moved | N/(N+1) |");
    System.out.println("|----:|-----------:|--------:|-------------:|--------:|");
    for (int n : new int[] {3, 10, 30, 100}) {
      List<String> members = memberNames("node-", n);
      List<String> grown = memberNames("node-", n + 1);
      HashRing ring = HashRing.of(members, virtualNodes);
      double ringMoved = movedFraction(ring::ownerAt, ring.withMember(grown.get(n))::ownerAt, keys);
      double moduloMoved = movedFraction(moduloPlacement(members), moduloPlacement(grown), keys);
      System.out.printf("| %3d | %10.4f | %7.4f | %12.4f | %7.4f |%n",
          n, ringMoved, 1.0 / (n + 1), moduloMoved, (double) n / (n + 1));
    }
    System.out.println();
  }

  /** What the placement driver will see: replicas per node, and how many groups change when a node joins. */
  private static void printGroupPlacementTable(int groupCount, int replicationFactor, int nodeCount) {
    int nameSets = 20;
    System.out.printf("Group placement: G = %d, R = %d, N = %d nodes (node-0..), then one node added; last two columns"
        + " averaged over %d node-name sets c<k>-node-0..:%n%n", groupCount, replicationFactor, nodeCount, nameSets);
    System.out.println("|     V | replicas/node max/mean | groups changed on add | mean replicas/node max/mean "
        + "| mean groups changed | R/(N+1) |");
    System.out.println("|------:|-----------------------:|----------------------:|----------------------------:"
        + "|--------------------:|--------:|");
    for (int v : VIRTUAL_NODE_COUNTS) {
      GroupPlacementShape fixed = measure(groupCount, replicationFactor, v, "node-", nodeCount);
      double sumSpread = 0;
      double sumChanged = 0;
      for (int k = 0; k < nameSets; k++) {
        GroupPlacementShape shape = measure(groupCount, replicationFactor, v, "c" + k + "-node-", nodeCount);
        sumSpread += shape.replicasPerNode().maxOverMean();
        sumChanged += shape.changedOnAdd();
      }
      System.out.printf("| %5d | %22.3f | %21.4f | %27.3f | %19.4f | %7.4f |%n",
          v, fixed.replicasPerNode().maxOverMean(), fixed.changedOnAdd(), sumSpread / nameSets,
          sumChanged / nameSets, (double) replicationFactor / (nodeCount + 1));
    }
    System.out.println();
  }

  private record GroupPlacementShape(LoadSpread replicasPerNode, double changedOnAdd) {}

  private static GroupPlacementShape measure(
      int groupCount, int replicationFactor, int virtualNodes, String nodePrefix, int nodeCount) {
    List<String> nodes = memberNames(nodePrefix, nodeCount);
    GroupPlacement placement = GroupPlacement.of(groupCount, replicationFactor, virtualNodes, nodes);
    GroupPlacement grown = placement.withNode(nodePrefix + nodeCount);
    List<String> replicas = new ArrayList<>();
    int changed = 0;
    for (String group : placement.groups()) {
      replicas.addAll(placement.replicasOf(group));
      // Order within the list does not move data; membership does.
      if (!Set.copyOf(placement.replicasOf(group)).equals(Set.copyOf(grown.replicasOf(group)))) {
        changed++;
      }
    }
    return new GroupPlacementShape(loadSpread(replicas, nodes), (double) changed / groupCount);
  }

  /** Rough cost of the key -> group ring, which has the most points: G * V. */
  private static void printBuildCost(int groupCount) {
    System.out.printf("Key -> group ring build (G = %d), best of 5; swings several-fold with machine load:%n%n",
        groupCount);
    System.out.println("|     V |    points | build ms |");
    System.out.println("|------:|----------:|---------:|");
    List<String> groups = memberNames("g", groupCount);
    for (int v : VIRTUAL_NODE_COUNTS) {
      long best = Long.MAX_VALUE;
      for (int attempt = 0; attempt < 5; attempt++) {
        long start = System.nanoTime();
        HashRing.of(groups, v);
        best = Math.min(best, System.nanoTime() - start);
      }
      System.out.printf("| %5d | %9d | %8.1f |%n", v, (long) groupCount * v, best / 1e6);
    }
    System.out.println();
  }

  private RingReport() {}
}
