package io.raftring.cli;

import io.raftring.security.BearerTokens;
import io.raftring.security.DevCertificates;
import io.raftring.security.PrivateFiles;
import io.raftring.security.Role;
import io.raftring.security.SslContexts;
import io.raftring.security.TokenRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code raftring local}: a cluster on this machine, one child JVM per node running {@code raftring node}. Each
 * node's settings are generated into {@code <data>/n<i>.conf} (see {@link LocalCluster}) and read over the base file
 * conf/local.conf. Output lines are prefixed with the node's name. Ctrl-C, or any node exiting, stops them all.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
      "Run a cluster on this machine: one JVM per node, nodes n1..nN, Artery ports 2551.., HTTP ports 8080..,"
          + " data in DATA/n1..nN. Ctrl-C stops every node cleanly; restarting finds the data again.",
      "With --secure: HTTPS and Artery TLS from a development CA (DATA/ca.pem) and an admin token"
          + " (DATA/admin.token); it prints how to curl the cluster.",
      "Exit 1 when a node exits by itself (the others are stopped), 2 bad usage."
    })
final class LocalCommand implements Callable<Integer> {

  static final String NODE_JAVA_OPTS_ENV = "RAFTRING_NODE_JAVA_OPTS";
  static final String DEFAULT_NODE_JAVA_OPTS = "-Xms256m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError";

  @ParentCommand RaftRingMain main;

  @Spec CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "3", description = "how many nodes (default: ${DEFAULT-VALUE})")
  int nodeCount;

  @Option(names = "--data", defaultValue = "./data", paramLabel = "DIR",
      description = "data root: node n<i> keeps its data in DIR/n<i> (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "address the nodes bind and talk on (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--artery-base-port", defaultValue = "2551",
      description = "cluster port of n1; n<i> gets base+i-1 (default: ${DEFAULT-VALUE})")
  int arteryBasePort;

  @Option(names = "--http-base-port", defaultValue = "8080",
      description = "HTTP port of n1; n<i> gets base+i-1 (default: ${DEFAULT-VALUE})")
  int httpBasePort;

  @Option(names = "--groups", paramLabel = "N",
      description = "Raft groups the keyspace is split into (default: as in the base file)")
  Integer groups;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "base settings of every node (default: conf/local.conf, in the working directory or"
          + " $RAFTRING_HOME)")
  Path baseConfig;

  @Option(names = "--ready-timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "say which nodes are not ready after this long, and again every so long (default: ${DEFAULT-VALUE})")
  Duration readyTimeout;

  @Option(names = "--stop-timeout", defaultValue = "30s", converter = DurationConverter.class,
      description = "when stopping, kill nodes still running after this long (default: ${DEFAULT-VALUE})")
  Duration stopTimeout;

  @Option(names = "--dry-run", description = "write the nodes' files and print their commands, start nothing")
  boolean dryRun;

  @Option(names = "--secure", description = "TLS on HTTP and Artery with a development CA made in DATA (DATA/ca.pem),"
      + " and bearer tokens: an admin token is written to DATA/admin.token and printed; restarting reuses them")
  boolean secure;

  private String adminToken;

  private final List<Child> children = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Object outputLock = new Object();

  private record Child(LocalCluster.Node node, Process process, Thread pump) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    LocalCluster cluster;
    try {
      cluster = LocalCluster.plan(nodeCount, host, arteryBasePort, httpBasePort, data, groups, secure);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Path base = baseConfig != null ? baseConfig : ConfigFiles.find("conf/local.conf");
    if (baseConfig != null && !baseConfig.toFile().isFile()) {
      throw new ParameterException(spec.commandLine(), "no such configuration file: " + baseConfig);
    }
    cluster.writeFiles();
    if (secure) {
      adminToken = prepareSecurity(cluster);
    }
    if (dryRun) {
      for (LocalCluster.Node node : cluster.nodes()) {
        main.stdout.println("# " + node.name() + ": " + node.configFile());
        List<String> cmd = new ArrayList<>(commandOf(node, base));
        cmd.set(cmd.indexOf("-cp") + 1, "\"$CLASSPATH\"");
        main.stdout.println(String.join(" ", cmd));
      }
      return RaftRingMain.OK;
    }
    Thread hook = new Thread(this::stopAll, "raftring-local-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      for (LocalCluster.Node node : cluster.nodes()) {
        start(node, base);
      }
      say("started " + cluster.names() + " (data in " + cluster.nodes().get(0).dataDir().getParent()
          + "); waiting for them to be ready");
      return superviseUntilOneExits(cluster);
    } finally {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or ran
      }
    }
  }

  /**
   * The development CA and every node's certificate (made once, then reused), and the admin token: the one in
   * DATA/admin.token if the tokens file still lists it as admin, else a new one added to both.
   */
  static String prepareSecurity(LocalCluster cluster) throws IOException {
    DevCertificates ca = DevCertificates.openOrCreate(cluster.root());
    for (LocalCluster.Node node : cluster.nodes()) {
      ca.node(node.name(), List.of(node.host()));
    }
    Path tokenFile = cluster.adminTokenFile();
    Path tokens = cluster.tokensFile();
    if (Files.exists(tokenFile) && Files.exists(tokens)) {
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      boolean listed = TokenRegistry.parse(Files.readString(tokens, StandardCharsets.UTF_8)).authenticate(token)
          .filter(p -> p.role() == Role.ADMIN).isPresent();
      if (listed) {
        return token;
      }
    }
    String token = BearerTokens.generate(new SecureRandom());
    TokenCommand.append(tokens, TokenRegistry.line("admin", Role.ADMIN, token));
    PrivateFiles.write(tokenFile, token + "\n");
    return token;
  }

  /** The command that runs {@code node}: this JVM's java and classpath, running {@code raftring node}. */
  List<String> commandOf(LocalCluster.Node node, Path base) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = System.getenv(NODE_JAVA_OPTS_ENV);
    cmd.addAll(Arrays.asList((opts == null || opts.isBlank() ? DEFAULT_NODE_JAVA_OPTS : opts).trim().split("\\s+")));
    String logback = System.getProperty("logback.configurationFile");
    if (logback != null) {
      cmd.add("-Dlogback.configurationFile=" + logback);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RaftRingMain.class.getName());
    cmd.add("node");
    if (base != null) {
      cmd.add("--config");
      cmd.add(base.toAbsolutePath().toString());
    }
    cmd.add("--config");
    cmd.add(node.configFile().toString());
    cmd.add("--exit-with-parent");
    cmd.add(Long.toString(ProcessHandle.current().pid()));
    return cmd;
  }

  private void start(LocalCluster.Node node, Path base) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(commandOf(node, base)).redirectErrorStream(true);
    Process process = pb.start();
    Thread pump = new Thread(() -> pump(node.name(), process), "raftring-local-" + node.name());
    pump.setDaemon(true);
    pump.start();
    synchronized (children) {
      children.add(new Child(node, process, pump));
    }
  }

  /** Copies a child's output to ours, each line prefixed with the node's name. */
  private void pump(String name, Process process) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (outputLock) {
          main.stdout.println(name + " | " + line);
          main.stdout.flush();
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
  }

  private void say(String line) {
    synchronized (outputLock) {
      main.stdout.println("local | " + line);
      main.stdout.flush();
    }
  }

  /** Announces readiness once, and returns 1 as soon as any node exits. */
  private int superviseUntilOneExits(LocalCluster cluster) throws InterruptedException {
    HttpClient.Builder httpBuilder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1));
    if (cluster.secure()) {
      httpBuilder.sslContext(SslContexts.trusting(cluster.caFile()));
    }
    HttpClient http = httpBuilder.build();
    Map<String, String> notReady = new LinkedHashMap<>();
    cluster.nodes().forEach(n -> notReady.put(n.name(), "not checked yet"));
    long nextComplaint = System.nanoTime() + readyTimeout.toNanos();
    long started = System.nanoTime();
    while (true) {
      for (Child child : snapshot()) {
        if (!child.process().isAlive()) {
          if (!stopping.get()) {
            child.pump().join(1000);
            say(exitReport(child.node().name(), child.process().exitValue()) + "; stopping the other nodes");
          }
          return RaftRingMain.REFUSED;
        }
      }
      if (!notReady.isEmpty()) {
        for (LocalCluster.Node node : cluster.nodes()) {
          if (notReady.containsKey(node.name())) {
            String why = readiness(http, node);
            if (why == null) {
              notReady.remove(node.name());
            } else {
              notReady.put(node.name(), why);
            }
          }
        }
        if (notReady.isEmpty()) {
          synchronized (outputLock) {
            main.stdout.println("RaftRing local cluster ready: " + String.join(" ",
                cluster.nodes().stream().map(LocalCluster.Node::httpUrl).toList())
                + " (data in " + cluster.nodes().get(0).dataDir().getParent() + "; Ctrl-C stops it)");
            if (cluster.secure()) {
              printSecureHints(cluster);
            }
            main.stdout.flush();
          }
        } else if (System.nanoTime() - nextComplaint > 0) {
          long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
          say("still waiting after " + seconds + "s for " + notReady);
          nextComplaint = System.nanoTime() + readyTimeout.toNanos();
        }
      }
      Thread.sleep(500);
    }
  }

  /** What a node that exited by itself means: a non-zero status is a failure (255: a fatal error in the JVM). */
  static String exitReport(String node, int exitCode) {
    if (exitCode == 0) {
      return node + " exited by itself (code 0)";
    }
    String why = exitCode == 255 ? ": a fatal error (see its log above, e.g. StackOverflowError or OutOfMemoryError)"
        : exitCode == 3 ? ": out of memory (-XX:+ExitOnOutOfMemoryError)"
        : exitCode > 128 ? ": killed by signal " + (exitCode - 128) : "";
    return "NODE FAILURE: " + node + " exited with code " + exitCode + why;
  }

  /** How to reach a secure cluster: the admin token, and curl and CLI lines that use the CA and the token. */
  private void printSecureHints(LocalCluster cluster) {
    String url = cluster.nodes().get(0).httpUrl();
    Path ca = cluster.caFile();
    Path token = cluster.adminTokenFile();
    main.stdout.println("TLS and authentication are on. CA certificate: " + ca + "; admin token (also in " + token
        + "): " + adminToken);
    main.stdout.println("  curl --cacert " + ca + " -H \"Authorization: Bearer $(cat " + token + ")\" " + url
        + "/v1/cluster");
    main.stdout.println("  RAFTRING_TOKEN=$(cat " + token + ") ./raftring status --endpoint " + url + " --cacert " + ca);
  }

  /** Null when the node answers 200 on /health/ready, else why not. */
  private static String readiness(HttpClient http, LocalCluster.Node node) {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(node.httpUrl() + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return null;
      }
      String body = response.body().strip().replaceAll("\\s+", " ");
      return "HTTP " + response.statusCode() + (body.isEmpty() ? "" : " " + (body.length() > 160
          ? body.substring(0, 160) + "..." : body));
    } catch (IOException e) {
      return node.httpUrl() + " unreachable (" + e.getClass().getSimpleName() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private List<Child> snapshot() {
    synchronized (children) {
      return List.copyOf(children);
    }
  }

  /** SIGTERM to every node (their CoordinatedShutdown runs), then SIGKILL to any still running after the timeout. */
  synchronized void stopAll() {
    List<Child> all = snapshot();
    boolean first = stopping.compareAndSet(false, true);
    if (all.stream().noneMatch(c -> c.process().isAlive())) {
      return;
    }
    if (first) {
      say("stopping " + all.stream().filter(c -> c.process().isAlive()).map(c -> c.node().name()).toList());
    }
    all.forEach(c -> c.process().destroy());
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    for (Child c : all) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !c.process().waitFor(left, TimeUnit.NANOSECONDS)) {
          say(c.node().name() + " did not stop within " + stopTimeout + "; killing it");
          c.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        c.process().destroyForcibly();
      }
    }
    for (Child c : all) {
      try {
        if (c.process().waitFor(5, TimeUnit.SECONDS)) {
          c.pump().join(1000);
          say(c.node().name() + " stopped (exit code " + c.process().exitValue() + ")");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
