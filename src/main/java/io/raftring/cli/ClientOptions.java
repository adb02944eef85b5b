package io.raftring.cli;

import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What every client command takes: where the node is, how long to wait, how much to say. */
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

  KvClient client() throws KvClient.Failure {
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
    return new KvClient(uri, timeout);
  }
}
