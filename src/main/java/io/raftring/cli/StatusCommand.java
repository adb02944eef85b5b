package io.raftring.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftring status}: the cluster as one node sees it (GET /v1/cluster), as a table. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the cluster as the node at --endpoint sees it: members, and per Raft group its leader, term and each"
          + " replica's role and indexes (GET /v1/cluster).",
      "Exit 0 when the node answered (ready or not), 3 when it could not be reached or failed."
    })
final class StatusCommand extends ClientCommand {

  @Option(names = "--json", description = "print the JSON answer, indented")
  boolean json;

  @Override
  int run(KvClient client) throws KvClient.Failure, JsonProcessingException {
    KvClient.Response response = client.expectSuccess("GET", "/v1/cluster", null, KvClient.APPLICATION_JSON);
    JsonNode status = response.json();
    if (status == null) {
      throw new KvClient.Failure(RaftRingMain.UNAVAILABLE, "unexpected answer from /v1/cluster: " + response.text());
    }
    if (json || !status.path("groups").isArray()) {
      main.stdout.println(KvClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status));
    } else {
      main.stdout.print(render(status));
    }
    return RaftRingMain.OK;
  }

  /** The status as text; field names are read in camelCase or snake_case. */
  static String render(JsonNode status) {
    StringBuilder sb = new StringBuilder();
    sb.append("node:    ").append(field(status, "node")).append('\n');
    sb.append("ready:   ").append(field(status, "ready").equals("true") ? "yes" : "no");
    String reason = field(status, "not_ready_reason");
    sb.append(reason.isEmpty() ? "" : " (" + reason + ")").append('\n');
    List<String> members = new ArrayList<>();
    status.path("members").forEach(m -> members.add(m.asText()));
    sb.append("members: ").append(String.join(" ", members)).append("\n\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"GROUP", "LEADER", "TERM", "REPLICA", "ROLE", "TERM", "COMMIT", "APPLIED", "LAST"});
    for (JsonNode group : status.path("groups")) {
      JsonNode replicas = group.has("replicaStatus") ? group.get("replicaStatus") : group.path("replica_status");
      boolean first = true;
      String leader = field(group, "leader");
      String[] groupCells = {field(group, "group"), leader.isEmpty() ? "-" : leader, field(group, "term")};
      if (replicas.size() == 0) {
        rows.add(new String[] {groupCells[0], groupCells[1], groupCells[2], "", "", "", "", "", ""});
      }
      for (JsonNode r : replicas) {
        rows.add(new String[] {
          first ? groupCells[0] : "", first ? groupCells[1] : "", first ? groupCells[2] : "",
          field(r, "node"), field(r, "role"), field(r, "term"), field(r, "commit_index"), field(r, "last_applied"),
          field(r, "last_index")
        });
        first = false;
      }
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + widths[i] + "s", row[i])).append(i + 1 < row.length ? "  " : "");
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** {@code name} (snake_case) or its camelCase form; "" when absent or null. */
  private static String field(JsonNode node, String snakeName) {
    JsonNode value = node.get(snakeName);
    if (value == null || value.isNull()) {
      StringBuilder camel = new StringBuilder();
      boolean upper = false;
      for (char c : snakeName.toCharArray()) {
        if (c == '_') {
          upper = true;
        } else {
          camel.append(upper ? Character.toUpperCase(c) : c);
          upper = false;
        }
      }
      value = node.get(camel.toString());
    }
    return value == null || value.isNull() ? "" : value.asText();
  }
}
