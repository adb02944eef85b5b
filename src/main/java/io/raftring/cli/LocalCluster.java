package io.raftring.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a cluster on one machine: node {@code i} (1-based) is named {@code n<i>}, has Artery port
 * {@code arteryBasePort + i - 1}, HTTP port {@code httpBasePort + i - 1} and data directory {@code <data>/n<i>};
 * every node lists every node as a seed and as a member of the ring. Pure: writing the files is separate.
 */
record LocalCluster(List<Node> nodes, Integer groups, Path root, boolean secure) {

  /** One node of the plan. */
  record Node(String name, String host, int arteryPort, int httpPort, Path dataDir, Path configFile, boolean secure) {

    String address() {
      return "akka://raftring@" + host + ":" + arteryPort;
    }

    String httpUrl() {
      return (secure ? "https://" : "http://") + host + ":" + httpPort;
    }
  }

  LocalCluster {
    nodes = List.copyOf(nodes);
  }

  /** The development CA's certificate of a secure cluster, which clients trust ({@code DATA/ca.pem}). */
  Path caFile() {
    return root.resolve("ca.pem");
  }

  /** The tokens file of a secure cluster ({@code DATA/tokens}). */
  Path tokensFile() {
    return root.resolve("tokens");
  }

  /** The admin token of a secure cluster ({@code DATA/admin.token}). */
  Path adminTokenFile() {
    return root.resolve("admin.token");
  }

  /** Where {@link io.raftring.security.DevCertificates} keeps node {@code name}'s certificate and key. */
  Path certFile(Node node) {
    return root.resolve("tls").resolve(node.name() + ".crt");
  }

  Path keyFile(Node node) {
    return root.resolve("tls").resolve(node.name() + ".key");
  }

  /**
   * Plans {@code count} nodes on {@code host}. {@code dataRoot} is made absolute, so the nodes find their data
   * whatever their working directory. {@code groups} is null to keep the configured number.
   */
  static LocalCluster plan(int count, String host, int arteryBasePort, int httpBasePort, Path dataRoot,
      Integer groups) {
    return plan(count, host, arteryBasePort, httpBasePort, dataRoot, groups, false);
  }

  /**
   * As above; {@code secure} plans HTTPS and Artery TLS with the development CA's certificates under the data root,
   * and bearer tokens from {@code DATA/tokens}.
   */
  static LocalCluster plan(int count, String host, int arteryBasePort, int httpBasePort, Path dataRoot,
      Integer groups, boolean secure) {
    if (count < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1");
    }
    checkPorts("--artery-base-port", arteryBasePort, count);
    checkPorts("--http-base-port", httpBasePort, count);
    if (arteryBasePort < httpBasePort + count && httpBasePort < arteryBasePort + count) {
      throw new IllegalArgumentException("Artery ports " + arteryBasePort + ".." + (arteryBasePort + count - 1)
          + " overlap HTTP ports " + httpBasePort + ".." + (httpBasePort + count - 1));
    }
    if (groups != null && groups < 1) {
      throw new IllegalArgumentException("--groups must be at least 1");
    }
    Path root = dataRoot.toAbsolutePath().normalize();
    List<Node> nodes = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = "n" + i;
      nodes.add(new Node(name, host, arteryBasePort + i - 1, httpBasePort + i - 1, root.resolve(name),
          root.resolve(name + ".conf"), secure));
    }
    return new LocalCluster(nodes, groups, root, secure);
  }

  private static void checkPorts(String option, int base, int count) {
    if (base < 1 || base + count - 1 > 65535) {
      throw new IllegalArgumentException(option + " " + base + " leaves no room for " + count + " ports");
    }
  }

  List<String> names() {
    return nodes.stream().map(Node::name).toList();
  }

  /** The settings that make {@code node} this node of the plan; they go over the base file (conf/local.conf). */
  Config configOf(Node node) {
    Config c = ConfigFactory.empty()
        .withValue("raftring.node.name", ConfigValueFactory.fromAnyRef(node.name()))
        .withValue("raftring.cluster.nodes", ConfigValueFactory.fromIterable(names()))
        .withValue("raftring.storage.dir", ConfigValueFactory.fromAnyRef(node.dataDir().toString()))
        .withValue("raftring.http.host", ConfigValueFactory.fromAnyRef(node.host()))
        .withValue("raftring.http.port", ConfigValueFactory.fromAnyRef(node.httpPort()))
        .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(node.host()))
        .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(node.arteryPort()))
        .withValue("akka.cluster.seed-nodes",
            ConfigValueFactory.fromIterable(nodes.stream().map(Node::address).toList()));
    if (groups != null) {
      c = c.withValue("raftring.cluster.groups", ConfigValueFactory.fromAnyRef(groups));
    }
    if (secure) {
      c = c.withValue("raftring.http.tls.enabled", ConfigValueFactory.fromAnyRef(true))
          .withValue("raftring.http.auth.tokens-file", ConfigValueFactory.fromAnyRef(tokensFile().toString()))
          .withValue("raftring.tls.cert-file", ConfigValueFactory.fromAnyRef(certFile(node).toString()))
          .withValue("raftring.tls.key-file", ConfigValueFactory.fromAnyRef(keyFile(node).toString()))
          .withValue("raftring.tls.ca-file", ConfigValueFactory.fromAnyRef(caFile().toString()))
          .withValue("akka.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"));
    }
    if (nodes.size() < 3) {
      // Fewer nodes than the default replication factor: each group gets every node.
      c = c.withValue("raftring.cluster.replication-factor", ConfigValueFactory.fromAnyRef(nodes.size()));
    }
    return c;
  }

  /** {@link #configOf} as the text of the node's generated file. */
  String renderConfigOf(Node node) {
    String body = configOf(node).root().render(
        ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    return "# Generated by `raftring local` for node " + node.name() + "; rewritten at every start, do not edit.\n"
        + "# Read over the base file (conf/local.conf), under -D system properties.\n" + body;
  }

  /** Writes every node's generated file and creates the data directories. */
  void writeFiles() throws IOException {
    for (Node node : nodes) {
      Files.createDirectories(node.dataDir());
      Files.writeString(node.configFile(), renderConfigOf(node), StandardCharsets.UTF_8);
    }
  }
}
