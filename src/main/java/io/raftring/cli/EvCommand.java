package io.raftring.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code raftring ev get|put|del}: the eventually consistent keyspace ({@code /v1/ev}). */
@Command(
    name = "ev",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "get|put|del",
    description = {
      "The eventually consistent keyspace (/v1/ev): writable on any side of a partition, converging after it heals.",
      "Concurrent writes become siblings; pass a read's context (--context) to a write to supersede what it read."
    },
    subcommands = {EvGetCommand.class, EvPutCommand.class, EvDelCommand.class})
final class EvCommand implements Runnable {

  /** The request header carrying the causal context. */
  static final String CONTEXT_HEADER = "X-RaftRing-Context";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: get, put or del");
  }

  /** {@code /v1/ev/<key>} with the key as one encoded path segment. */
  static String keyPath(String key) {
    return "/v1/ev/" + KvClient.encode(key);
  }

  /** The context header, when one is given. */
  static Map<String, String> contextHeader(String context) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (context != null) {
      headers.put(CONTEXT_HEADER, context);
    }
    return headers;
  }
}
