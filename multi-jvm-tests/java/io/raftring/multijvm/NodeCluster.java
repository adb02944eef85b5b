package io.raftring.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.ring.GroupPlacement;
import io.raftring.security.BearerTokens;
import io.raftring.security.DevCertificates;
import io.raftring.security.Role;
import io.raftring.security.SslContexts;
import io.raftring.security.TlsSettings;
import io.raftring.security.TokenRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A RaftRing cluster of real node processes on loopback, one JVM per node ({@link NodeProcess}), each with its own
 * Artery port, HTTP port and data directory under {@code target/multi-jvm/<name>/}. Nodes can be killed (SIGKILL),
 * restarted from their data directory, paused (SIGSTOP) and resumed (SIGCONT), and cut off from each other through
 * the test-only {@code /v1/test/partition} routes.
 *
 * <p>Every process started is registered in a JVM-wide set and killed by {@link #close()}, and by a shutdown hook if
 * the test JVM exits first, so no node outlives its test.
 */
public final class NodeCluster implements AutoCloseable {

  /** Every node process started by any cluster of this JVM and not yet reaped. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(NodeCluster::sigkill), "kill-node-processes"));
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> JVM_OPTIONS = List.of(
      "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=2", "-Xss512k",
      "-XX:-UsePerfData", "-Djava.net.preferIPv4Stack=true");

  /** One node: its ports and files, and its process while running. */
  public static final class Node {
    public final String name;
    public final int arteryPort;
    public final int httpPort;
    final Path dataDir;
    final Path confFile;
    final Path logFile;
    volatile Process process;
    volatile boolean paused;

    Node(String name, int arteryPort, int httpPort, Path dir) {
      this.name = name;
      this.arteryPort = arteryPort;
      this.httpPort = httpPort;
      this.dataDir = dir.resolve("data");
      this.confFile = dir.resolve("node.conf");
      this.logFile = dir.resolve("node.log");
    }

    public String address() {
      return "akka://raftring@127.0.0.1:" + arteryPort;
    }

    public boolean isRunning() {
      Process p = process;
      return p != null && p.isAlive();
    }

    public long pid() {
      return process.pid();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final String testName;
  private final int groups;
  private final List<String> settings;
  private final Path dir;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final GroupPlacement placement;
  private final HttpClient http;
  /** Secure clusters only: the development CA that signs every node's certificate, and the admin token. */
  private final DevCertificates ca;
  private final String adminToken;
  private final List<Node> strangers = new ArrayList<>();

  /** A cluster of {@code nodeCount} nodes n1..nN and {@code groups} Raft groups (replication factor 3); not started. */
  public NodeCluster(String testName, int nodeCount, int groups) {
    this(testName, nodeCount, groups, false, List.of());
  }

  /** As above, every node with {@code settings} (HOCON lines) over the harness's own. */
  public NodeCluster(String testName, int nodeCount, int groups, List<String> settings) {
    this(testName, nodeCount, groups, false, settings);
  }

  /**
   * As above, secured: HTTPS and Artery over mutual TLS with certificates of a CA made for the test, and bearer
   * tokens ({@link #adminToken()}). Every request of the harness then goes over TLS with the admin token.
   */
  public static NodeCluster secure(String testName, int nodeCount, int groups) {
    return new NodeCluster(testName, nodeCount, groups, true, List.of());
  }

  private NodeCluster(String testName, int nodeCount, int groups, boolean secure, List<String> settings) {
    this.testName = testName;
    this.groups = groups;
    this.settings = List.copyOf(settings);
    this.dir = Paths.get("target", "multi-jvm", testName).toAbsolutePath();
    deleteRecursively(dir);
    List<Integer> ports = freePorts(2 * nodeCount);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= nodeCount; i++) {
      String name = "n" + i;
      names.add(name);
      nodes.put(name, new Node(name, ports.get(2 * (i - 1)), ports.get(2 * (i - 1) + 1), dir.resolve(name)));
    }
    this.placement = GroupPlacement.of(groups, Math.min(3, nodeCount), 128, names);
    HttpClient.Builder client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1));
    if (secure) {
      try {
        ca = DevCertificates.openOrCreate(dir.resolve("pki"));
        adminToken = BearerTokens.generate(new SecureRandom());
        Files.writeString(dir.resolve("pki/tokens"), TokenRegistry.line("admin", Role.ADMIN, adminToken) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      client.sslContext(SslContexts.trusting(ca.caFile()));
    } else {
      ca = null;
      adminToken = null;
    }
    this.http = client.build();
  }

  /** The admin token of a secure cluster; null otherwise. */
  public String adminToken() {
    return adminToken;
  }

  /** The CA certificate of a secure cluster, for clients; null otherwise. */
  public Path caFile() {
    return ca == null ? null : ca.caFile();
  }

  /**
   * Starts a process that tries to join this secure cluster as node {@code name}: right seeds, and it trusts the
   * cluster's CA, but its own certificate is from another CA (a stranger who copied the public CA certificate). It
   * is killed with the cluster.
   */
  public Node launchStranger(String name) {
    List<Integer> ports = freePorts(2);
    Node stranger = new Node(name, ports.get(0), ports.get(1), dir.resolve(name));
    try {
      TlsSettings foreign = DevCertificates.openOrCreate(dir.resolve(name).resolve("foreign-pki"))
          .node(name, List.of("127.0.0.1"));
      String conf = configOf(stranger)
          + tlsSettings(TlsSettings.pem(foreign.certFile(), foreign.keyFile(), ca.caFile()));
      start(stranger, conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    strangers.add(stranger);
    return stranger;
  }

  /** The log file of a node's process. */
  public Path logOf(Node node) {
    return node.logFile;
  }

  public String testName() {
    return testName;
  }

  public int groups() {
    return groups;
  }

  /** The ring the nodes use, to know a key's group. */
  public GroupPlacement placement() {
    return placement;
  }

  public List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  public Node node(String name) {
    Node node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no node " + name);
    }
    return node;
  }

  public HttpClient http() {
    return http;
  }

  /** Nodes that are running and not paused: the ones that can answer a request. */
  public List<Node> responsiveNodes() {
    return nodes.values().stream().filter(n -> n.isRunning() && !n.paused).toList();
  }

  // ---- lifecycle

  /** Starts every node in parallel and waits until each is ready. */
  public void startAll(Duration readyWithin) {
    nodes.values().forEach(this::launch);
    awaitReady(nodes.values(), readyWithin);
  }

  /** Starts (or restarts from its data directory) one node, without waiting for it. */
  public void launch(Node node) {
    if (node.isRunning()) {
      throw new IllegalStateException(node.name + " is already running (pid " + node.pid() + ")");
    }
    try {
      start(node, ca == null ? configOf(node) : configOf(node) + tlsSettings(ca.node(node.name, List.of("127.0.0.1"))));
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + node.name, e);
    }
  }

  private void start(Node node, String conf) {
    try {
      Files.createDirectories(node.dataDir);
      Files.writeString(node.confFile, conf, StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>();
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(JVM_OPTIONS);
      command.add("-cp");
      command.add(classpath());
      command.add(NodeProcess.class.getName());
      command.add(node.confFile.toString());
      Files.writeString(node.logFile, "---- start " + java.time.Instant.now() + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile.toFile()))
          .start();
      LIVE.add(process);
      node.process = process;
      node.paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + node.name, e);
    }
  }

  /** Waits until {@code GET /health/ready} answers 200 on every one of {@code which}. */
  public void awaitReady(Collection<Node> which, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    for (Node node : which) {
      while (true) {
        if (!node.isRunning()) {
          throw new IllegalStateException(node.name + " exited while starting; see " + node.logFile);
        }
        Optional<HttpResponse<String>> ready = get(node, "/health/ready", Duration.ofSeconds(1));
        if (ready.isPresent() && ready.get().statusCode() == 200) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node.name + " not ready within " + within + ": "
              + ready.map(HttpResponse::body).orElse("no answer") + "; see " + node.logFile);
        }
        sleep(Duration.ofMillis(200));
      }
    }
  }

  public void awaitAllReady(Duration within) {
    awaitReady(nodes.values(), within);
  }

  /** SIGKILL: the process dies at once, with whatever it had not synced. */
  public void kill(Node node) {
    Process p = node.process;
    if (p != null) {
      sigkill(p);
      LIVE.remove(p);
    }
    node.paused = false;
  }

  /** SIGSTOP: the process freezes (its sockets stay open, nothing is answered) until {@link #resume}. */
  public void pause(Node node) {
    signal(node, "STOP");
    node.paused = true;
  }

  /** SIGCONT. */
  public void resume(Node node) {
    signal(node, "CONT");
    node.paused = false;
  }

  private static void signal(Node node, String signal) {
    if (!node.isRunning()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + node.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sigkill(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kills every node process any cluster of this JVM started and did not reap (for an AfterEach). */
  public static void killAllStarted() {
    for (Process p : List.copyOf(LIVE)) {
      sigkill(p);
      LIVE.remove(p);
    }
  }

  /** Kills every node this cluster started, and its strangers. Safe to call more than once. */
  @Override
  public void close() {
    for (Node node : nodes.values()) {
      kill(node);
    }
    strangers.forEach(this::kill);
  }

  // ---- partitions

  /** Cuts all traffic between every node of {@code a} and every node of {@code b}, both ways. */
  public void partition(Collection<Node> a, Collection<Node> b) {
    for (Node x : a) {
      blackhole(x, b);
    }
    for (Node y : b) {
      blackhole(y, a);
    }
  }

  /** Makes {@code node} drop all traffic to and from {@code peers}. */
  public void blackhole(Node node, Collection<Node> peers) {
    String body = "{\"blackhole\":[" + peers.stream().filter(p -> p != node)
        .map(p -> "\"" + p.address() + "\"").collect(Collectors.joining(",")) + "]}";
    HttpResponse<String> r = post(node, "/v1/test/partition", body);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("partition on " + node + " failed: " + r.statusCode() + " " + r.body());
    }
  }

  /** Lifts every blackhole on every running node. */
  public void heal() {
    for (Node node : nodes.values()) {
      if (node.isRunning() && !node.paused) {
        HttpResponse<String> r = post(node, "/v1/test/heal", "");
        if (r.statusCode() != 200) {
          throw new IllegalStateException("heal on " + node + " failed: " + r.statusCode() + " " + r.body());
        }
      }
    }
  }

  // ---- status

  /** The leader of {@code group} as a responsive node reports it via /v1/cluster, if one is known. */
  public Optional<Node> leaderOf(String group) {
    for (Node asked : responsiveNodes()) {
      Optional<HttpResponse<String>> r = get(asked, "/v1/cluster", Duration.ofSeconds(3));
      if (r.isEmpty() || r.get().statusCode() != 200) {
        continue;
      }
      try {
        for (JsonNode g : JSON.readTree(r.get().body()).get("groups")) {
          if (g.get("group").asText().equals(group) && !g.get("leader").isNull()) {
            return Optional.of(node(g.get("leader").asText()));
          }
        }
      } catch (IOException e) {
        // try the next node
      }
    }
    return Optional.empty();
  }

  /** Waits for a leader of {@code group} that is running, and returns it. */
  public Node awaitLeader(String group, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Node> leader = leaderOf(group);
      if (leader.isPresent() && leader.get().isRunning() && !leader.get().paused) {
        return leader.get();
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("no leader of " + group + " within " + within);
  }

  // ---- HTTP helpers

  public URI uri(Node node, String pathAndQuery) {
    return URI.create((ca == null ? "http" : "https") + "://127.0.0.1:" + node.httpPort + pathAndQuery);
  }

  /** A request to {@code node}, with the admin token when the cluster is secure. */
  public HttpRequest.Builder request(Node node, String pathAndQuery) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, pathAndQuery));
    return adminToken == null ? request : request.header("Authorization", "Bearer " + adminToken);
  }

  Optional<HttpResponse<String>> get(Node node, String path, Duration timeout) {
    try {
      HttpRequest request = request(node, path).timeout(timeout).GET().build();
      return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * POSTs to one of a node's test-only control routes, all idempotent. A pooled connection that the node closed (idle,
   * or the process it went to was restarted) just as it was reused fails before the node read anything ("header
   * parser received no bytes"), so an IOException is sent again on a new connection, three attempts in all.
   */
  public HttpResponse<String> post(Node node, String path, String body) {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        HttpRequest request = request(node, path).timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new UncheckedIOException("POST " + path + " on " + node + " failed three times", last);
  }

  // ---- configuration and classpath

  /**
   * The node's configuration. Its seed nodes are every node when no other node runs (first start, restart-all: n1,
   * first in the list, may then form the cluster), and only the others when some do: a restarted node must join the
   * running cluster, never form an island of its own (Akka's first seed node joins itself when the other seeds do not
   * answer within seed-node-timeout, which a loaded machine can make happen).
   */
  private String configOf(Node node) {
    boolean othersRunning = nodes.values().stream().anyMatch(n -> n != node && n.isRunning());
    String seeds = nodes.values().stream().filter(n -> !othersRunning || n != node)
        .map(n -> "\"" + n.address() + "\"").collect(Collectors.joining(","));
    String names = nodes.keySet().stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(","));
    return String.join("\n",
        "raftring.node.name = \"" + node.name + "\"",
        "raftring.cluster.nodes = [" + names + "]",
        "raftring.cluster.groups = " + groups,
        "raftring.cluster.replication-factor = " + Math.min(3, nodes.size()),
        "raftring.storage.dir = \"" + node.dataDir.toString().replace("\\", "/") + "\"",
        "raftring.http.host = \"127.0.0.1\"",
        "raftring.http.port = " + node.httpPort,
        "raftring.test.fault-injection = on",
        "akka.remote.artery.advanced.test-mode = on",
        "akka.remote.artery.canonical.hostname = \"127.0.0.1\"",
        "akka.remote.artery.canonical.port = " + node.arteryPort,
        "akka.cluster.seed-nodes = [" + seeds + "]",
        "akka.cluster.retry-unsuccessful-join-after = 2s",
        "akka.cluster.jmx.enabled = off",
        "akka.coordinated-shutdown.exit-jvm = on",
        String.join("\n", settings),
        "");
  }

  /** What a secure node adds to its configuration: HTTPS, tokens, and Artery over mutual TLS with {@code tls}. */
  private String tlsSettings(TlsSettings tls) {
    return String.join("\n",
        "raftring.http.tls.enabled = on",
        "raftring.http.auth.tokens-file = \"" + dir.resolve("pki/tokens") + "\"",
        "raftring.tls.cert-file = \"" + tls.certFile() + "\"",
        "raftring.tls.key-file = \"" + tls.keyFile() + "\"",
        "raftring.tls.ca-file = \"" + tls.caFile() + "\"",
        "akka.remote.artery.transport = tls-tcp",
        "");
  }

  private static String classpathCache;

  private static synchronized String classpath() {
    if (classpathCache == null) {
      Path base = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
      try {
        String deps = Files.readString(base.resolve("target/classpath.txt")).trim();
        classpathCache = String.join(java.io.File.pathSeparator,
            base.resolve("target/test-classes").toString(), base.resolve("target/classes").toString(), deps);
      } catch (IOException e) {
        throw new UncheckedIOException("target/classpath.txt is missing: build with mvn first", e);
      }
    }
    return classpathCache;
  }

  private static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        s.setReuseAddress(true);
        sockets.add(s);
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }

  static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
