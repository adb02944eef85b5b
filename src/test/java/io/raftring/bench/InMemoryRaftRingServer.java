package io.raftring.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RaftRing's {@code PUT/GET /v1/kv/{key}} in memory on a loopback port, for the load tool's end-to-end test and for
 * measuring the tool's own overhead (run {@link #main}: it serves until killed). CAS by {@code ?prev_revision=N}
 * answers 409 CONFLICT as the real server does; absent keys answer 404 NOT_FOUND JSON. Keys whose name contains
 * "fail-503" answer 503 NO_QUORUM, to exercise error counting.
 */
public final class InMemoryRaftRingServer implements AutoCloseable {

  private record Entry(byte[] value, long modRevision) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Entry> store = new HashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private long revision;

  public InMemoryRaftRingServer(int port, int threads) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    executor = Executors.newFixedThreadPool(threads);
    server.setExecutor(executor);
    server.createContext("/v1/kv/", this::handle);
    // The eventual keyspace's routes, served alike: both prefixes are seven characters long.
    server.createContext("/v1/ev/", this::handle);
    server.start();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    InMemoryRaftRingServer server = new InMemoryRaftRingServer(port, threads);
    System.out.println("in-memory raftring on " + server.baseUri() + " ready");
    Thread.currentThread().join();
  }

  public String baseUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public long requests() {
    return requests.get();
  }

  public synchronized int size() {
    return store.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String key = path.substring("/v1/kv/".length());
      String query = exchange.getRequestURI().getRawQuery();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (key.contains("fail-503")) {
        error(exchange, 503, "NO_QUORUM", "no majority");
        return;
      }
      switch (exchange.getRequestMethod()) {
        case "PUT" -> put(exchange, key, query, body);
        case "GET" -> get(exchange, key);
        default -> error(exchange, 405, "BAD_REQUEST", "method not allowed");
      }
    }
  }

  private void put(HttpExchange exchange, String key, String query, byte[] body) throws IOException {
    long written;
    synchronized (this) {
      Entry current = store.get(key);
      long currentRevision = current == null ? 0 : current.modRevision();
      if (query != null && query.startsWith("prev_revision=")) {
        long expected = Long.parseLong(query.substring("prev_revision=".length()));
        if (expected != currentRevision) {
          exchange.getResponseHeaders().add("X-RaftRing-Mod-Revision", Long.toString(currentRevision));
          written = -1;
        } else {
          written = ++revision;
          store.put(key, new Entry(body, written));
        }
      } else {
        written = ++revision;
        store.put(key, new Entry(body, written));
      }
    }
    if (written < 0) {
      error(exchange, 409, "CONFLICT", "the condition did not hold");
      return;
    }
    exchange.getResponseHeaders().add("X-RaftRing-Mod-Revision", Long.toString(written));
    send(exchange, 200, ("{\"revision\":" + written + ",\"prev_kv\":null}").getBytes(StandardCharsets.UTF_8));
  }

  private void get(HttpExchange exchange, String key) throws IOException {
    Entry entry;
    synchronized (this) {
      entry = store.get(key);
    }
    if (entry == null) {
      error(exchange, 404, "NOT_FOUND", "key not found");
      return;
    }
    exchange.getResponseHeaders().add("X-RaftRing-Mod-Revision", Long.toString(entry.modRevision()));
    send(exchange, 200, entry.value());
  }

  private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    send(exchange, status, ("{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
