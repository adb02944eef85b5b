package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that sends requests to a node's HTTP API and turns the outcome into an exit code. */
abstract class ClientCommand implements Callable<Integer> {

  /** The command line's root, whatever the nesting ({@code raftring get}, {@code raftring ev get}); set by call. */
  RaftRingMain main;

  /** A value argument's bytes: its UTF-8, or standard input when it is "-". */
  byte[] valueBytes(String argument) throws java.io.IOException {
    return "-".equals(argument) ? main.stdin.readAllBytes() : argument.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Spec CommandSpec spec;

  @Mixin ClientOptions options;

  /** Does the work; returns the exit code of a success, throws {@link KvClient.Failure} otherwise. */
  abstract int run(KvClient client) throws KvClient.Failure, IOException;

  @Override
  public final Integer call() {
    main = (RaftRingMain) spec.root().userObject();
    try {
      return run(options.client());
    } catch (KvClient.Failure e) {
      main.stderr.println("raftring " + spec.name() + ": " + e.getMessage());
      return e.exitCode;
    } catch (IOException e) {
      main.stderr.println("raftring " + spec.name() + ": " + e);
      return RaftRingMain.UNAVAILABLE;
    } finally {
      main.stdout.flush();
      main.stderr.flush();
    }
  }

  /** A PUT or DELETE of {@code key} under {@code condition} (name/value pairs); 0 when it succeeded. */
  int write(KvClient client, String method, String key, byte[] value, String[] condition, boolean printJson)
      throws KvClient.Failure {
    KvClient.Response response = client.expectSuccess(
        method, KvClient.keyPath(key) + KvClient.query(condition), value, KvClient.APPLICATION_JSON);
    if (printJson) {
      printLine(response.text());
    }
    printDetails(response);
    return RaftRingMain.OK;
  }

  /** With --verbose, the answer's revision fields (every top-level number, string and boolean) on stderr. */
  void printDetails(KvClient.Response response) {
    if (!options.verbose) {
      return;
    }
    JsonNode json = response.json();
    if (json == null || !json.isObject()) {
      main.stderr.println("HTTP " + response.status());
      return;
    }
    printScalars(json, main.stderr);
  }

  static void printScalars(JsonNode json, PrintStream to) {
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isValueNode() && !field.getKey().equals("value")) {
        to.println(field.getKey() + ": " + field.getValue().asText());
      }
    }
  }

  /** Prints text and ends the line, unless it already ends with one. */
  void printLine(String text) {
    main.stdout.print(text);
    if (!text.endsWith("\n")) {
      main.stdout.println();
    }
  }
}
