package io.raftring.cli;

import io.raftring.security.SslContexts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/** What every client command takes: where the node is, how to prove who we are, how long to wait, how much to say. */
final class ClientOptions {

  @Option(
      names = {"-e", "--endpoint"},
      defaultValue = "${env:RAFTRING_ENDPOINT:-http://127.0.0.1:8080}",
      description = "URL of any node's HTTP endpoint (default: $RAFTRING_ENDPOINT or http://127.0.0.1:8080)")
  String endpoint;

  @Option(
      names = "--timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "give up on an answer after this long, e.g. 500ms, 10s (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = {"-v", "--verbose"}, description = "print revisions and other details to stderr")
  boolean verbose;

  @Option(
      names = "--token",
      defaultValue = "${env:RAFTRING_TOKEN}",
      description = "bearer token for a node with authentication on (default: $RAFTRING_TOKEN; prefer the variable,"
          + " since command lines are visible to other users)")
  String token;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      defaultValue = "${env:RAFTRING_CACERT}",
      description = "PEM CA certificate(s) to trust for an https endpoint, e.g. DATA/ca.pem of `local --secure`"
          + " (default: $RAFTRING_CACERT, else the JVM's trusted CAs)")
  Path cacert;

  /** A client of the first endpoint (--endpoint may list several, comma-separated). */
  KvClient client() throws KvClient.Failure {
    return clients().get(0);
  }

  /** A client of each endpoint --endpoint lists, comma-separated: long-running commands move on to the next. */
  java.util.List<KvClient> clients() throws KvClient.Failure {
    java.util.List<KvClient> clients = new java.util.ArrayList<>();
    for (String one : endpoint.split(",")) {
      clients.add(clientOf(one.trim()));
    }
    return clients;
  }

  private KvClient clientOf(String endpoint) throws KvClient.Failure {
    URI uri;
    try {
      uri = URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
    } catch (IllegalArgumentException e) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "bad --endpoint '" + endpoint
          + "': expected http://host:port (" + e.getMessage() + ")");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "bad --endpoint '" + endpoint + "': expected http://host:port");
    }
    SSLContext tls = null;
    if (cacert != null) {
      if (!"https".equals(uri.getScheme())) {
        throw new KvClient.Failure(RaftRingMain.USAGE, "--cacert is for https endpoints; the endpoint is " + uri);
      }
      try {
        tls = SslContexts.trusting(cacert);
      } catch (IllegalArgumentException e) {
        throw new KvClient.Failure(RaftRingMain.USAGE, "bad --cacert: " + e.getMessage());
      }
    }
    return new KvClient(uri, timeout, token == null || token.isBlank() ? null : token.strip(), tls);
  }
}
