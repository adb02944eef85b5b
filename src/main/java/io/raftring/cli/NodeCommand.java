package io.raftring.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import io.raftring.RaftRingNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code raftring node}: runs one node in the foreground until it shuts down. Its configuration is, from strongest
 * to weakest: the command-line options, {@code -D} system properties, the {@code --config} files (later over
 * earlier), then RaftRingNode's standalone defaults and reference.conf.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Run one RaftRing node in the foreground. Ctrl-C (or SIGTERM) shuts it down cleanly (exit 0).",
      "Settings: options here > -D system properties > --config files > built-in defaults.",
      "Exit 0 after a clean shutdown, 1 when the node could not start, 2 bad usage, 255 after a fatal error"
          + " (e.g. StackOverflowError or OutOfMemoryError: Akka's jvm-exit-on-fatal-error)."
    })
final class NodeCommand implements Callable<Integer> {

  @ParentCommand RaftRingMain main;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "HOCON file(s) with the node's settings; later files override earlier ones"
          + " (default: conf/node.conf, in the working directory or $RAFTRING_HOME)")
  List<Path> configFiles = new ArrayList<>();

  @Option(names = "--name", description = "this node's name (raftring.node.name), e.g. n2")
  String name;

  @Option(names = "--host", description = "address other nodes reach this one at"
      + " (akka.remote.artery.canonical.hostname)")
  String host;

  @Option(names = "--port", description = "cluster (Artery) port (akka.remote.artery.canonical.port)")
  Integer port;

  @Option(names = "--http-host", description = "HTTP bind address (raftring.http.host)")
  String httpHost;

  @Option(names = "--http-port", description = "HTTP port (raftring.http.port)")
  Integer httpPort;

  @Option(names = "--data", paramLabel = "DIR", description = "this node's data directory (raftring.storage.dir)")
  Path dataDir;

  @Option(names = "--seed", paramLabel = "HOST:PORT", split = ",",
      description = "seed node(s) to join through, host:port or akka://raftring@host:port (akka.cluster.seed-nodes)")
  List<String> seeds;

  @Option(names = "--nodes", paramLabel = "NAME", split = ",",
      description = "names of the nodes the cluster was first started with (raftring.cluster.nodes), e.g. n1,n2,n3;"
          + " the same on a node added later, whose own --name is not among them")
  List<String> nodes;

  @Option(names = "--groups", paramLabel = "N", description = "Raft groups the keyspace is split into"
      + " (raftring.cluster.groups); every node must agree")
  Integer groups;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "any other setting, as HOCON, e.g."
      + " --set raftring.request-timeout=5s")
  Map<String, String> settings;

  @Option(names = "--exit-with-parent", paramLabel = "PID", hidden = true,
      description = "shut down when process PID exits (used by `raftring local`)")
  Long parentPid;

  @Override
  public Integer call() {
    org.slf4j.LoggerFactory.getILoggerFactory(); // initialize logging before Akka's threads log concurrently
    Config config;
    try {
      config = config(ConfigFactory.systemProperties());
    } catch (IllegalArgumentException | ConfigException e) {
      main.stderr.println("raftring node: " + e.getMessage());
      return RaftRingMain.USAGE;
    }
    RaftRingNode node;
    try {
      node = RaftRingNode.start(config);
    } catch (RuntimeException e) {
      main.stderr.println("raftring node: could not start: " + e);
      return RaftRingMain.REFUSED;
    }
    Config full = node.system().settings().config();
    main.stdout.printf("RaftRing node %s: cluster %s, data %s%s%n",
        full.getString("raftring.node.name"),
        node.system().address(),
        Path.of(full.getString("raftring.storage.dir")).toAbsolutePath(),
        full.hasPath("raftring.http.port")
            ? ", HTTP http://" + full.getString("raftring.http.host") + ":" + full.getInt("raftring.http.port") : "");
    main.stdout.flush();
    NodeExit.install(node.system());
    if (parentPid != null) {
      closeWhenParentExits(node, parentPid);
    }
    node.whenTerminated().toCompletableFuture().join();
    return RaftRingMain.OK;
  }

  /** Shuts the node down (CoordinatedShutdown, then exit 0) within a second of process {@code pid} exiting. */
  private static void closeWhenParentExits(RaftRingNode node, long pid) {
    Thread watcher = new Thread(() -> {
      try {
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          Thread.sleep(500);
        }
        System.err.println("raftring node: parent process " + pid + " is gone; shutting down");
        node.close();
      } catch (InterruptedException e) {
        // the JVM is exiting
      }
    }, "raftring-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** The node's configuration (before RaftRingNode's defaults), with {@code systemProperties} between the files and the options. */
  Config config(Config systemProperties) {
    List<Path> files = configFiles;
    if (files.isEmpty()) {
      Path found = ConfigFiles.find("conf/node.conf");
      if (found == null) {
        main.stderr.println("raftring node: no --config given and no conf/node.conf found; using the built-in defaults");
      }
      files = found == null ? List.of() : List.of(found);
    }
    Config fromFiles = ConfigFactory.empty();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no such configuration file: " + file);
      }
      fromFiles = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
          .withFallback(fromFiles);
    }
    return overrides().withFallback(systemProperties).withFallback(fromFiles);
  }

  /** What the command-line options set. */
  Config overrides() {
    Config c = ConfigFactory.empty();
    if (settings != null) {
      for (Map.Entry<String, String> s : settings.entrySet()) {
        c = ConfigFactory.parseString(s.getKey() + " = " + s.getValue()).withFallback(c);
      }
    }
    c = with(c, "raftring.node.name", name);
    c = with(c, "akka.remote.artery.canonical.hostname", host);
    c = with(c, "akka.remote.artery.canonical.port", port);
    c = with(c, "raftring.http.host", httpHost);
    c = with(c, "raftring.http.port", httpPort);
    c = with(c, "raftring.storage.dir", dataDir == null ? null : dataDir.toString());
    c = with(c, "raftring.cluster.groups", groups);
    c = with(c, "raftring.cluster.nodes", nodes);
    c = with(c, "akka.cluster.seed-nodes", seeds == null ? null : seeds.stream().map(NodeCommand::seedAddress).toList());
    return c;
  }

  /** {@code host:port} as an Akka address of the {@code raftring} system; full addresses pass unchanged. */
  static String seedAddress(String seed) {
    if (seed.startsWith("akka://")) {
      return seed;
    }
    if (!seed.matches("[^:/@]+:\\d+")) {
      throw new IllegalArgumentException("seed '" + seed + "' is neither host:port nor akka://raftring@host:port");
    }
    return "akka://raftring@" + seed;
  }

  private static Config with(Config c, String path, Object value) {
    return value == null ? c : c.withValue(path, ConfigValueFactory.fromAnyRef(value));
  }
}
