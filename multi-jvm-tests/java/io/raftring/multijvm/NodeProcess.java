package io.raftring.multijvm;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.RaftRingNode;
import java.io.File;

/**
 * The main class of one node JVM of the multi-JVM tests: {@code java ... io.raftring.multijvm.NodeProcess node.conf}
 * starts a {@link RaftRingNode} from that HOCON file (written by {@link NodeCluster}) and runs until killed or
 * terminated. It prints {@code NODE-STARTED} once the HTTP endpoint is bound.
 */
public final class NodeProcess {

  private NodeProcess() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: NodeProcess <node.conf>");
      System.exit(2);
    }
    Config config = ConfigFactory.parseFile(new File(args[0]));
    RaftRingNode node = RaftRingNode.start(config);
    System.out.println("NODE-STARTED " + config.getString("raftring.node.name") + " http="
        + node.httpBinding().localAddress());
    node.whenTerminated().toCompletableFuture().join();
  }
}
