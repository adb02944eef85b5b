package io.raftring.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every group's Raft term and leader as one RaftRing node (named {@code node}) reports them ({@code GET
 * /v1/cluster}). Read before and after a run, it says whether leadership changed under the load: a new term means an
 * election was held, whether or not the same node won it.
 */
public record GroupTerms(String node, Map<String, Term> groups) {

  /** A group's term and leader (null: none known). */
  public record Term(long term, String leader) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What {@code endpoint} reports now; empty when it cannot say (not a RaftRing node, or no answer). */
  public static GroupTerms read(URI endpoint) {
    try (HttpTransport http = new SocketHttpTransport(List.of(endpoint), Duration.ofSeconds(10))) {
      HttpTransport.Response answer = http.send(0, "GET", "/v1/cluster", null, null).join();
      if (answer.status() == 200) {
        return parse(new String(answer.body(), StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      // unknown: empty
    }
    return new GroupTerms(null, Map.of());
  }

  static GroupTerms parse(String clusterJson) throws IOException {
    JsonNode cluster = JSON.readTree(clusterJson);
    Map<String, Term> groups = new TreeMap<>();
    for (JsonNode group : cluster.path("groups")) {
      JsonNode leader = group.path("leader");
      groups.put(group.path("group").asText(), new Term(group.path("term").asLong(-1),
          leader.isTextual() ? leader.asText() : null));
    }
    return new GroupTerms(cluster.path("node").isTextual() ? cluster.path("node").asText() : null, groups);
  }

  /** Whether the reporting node led {@code group} at the reading. */
  public boolean ledHere(String group) {
    Term term = groups.get(group);
    return node != null && term != null && node.equals(term.leader());
  }

  /** The leaders, as "g0 n1, g1 n3, ...". */
  public String leaders() {
    StringBuilder text = new StringBuilder();
    groups.forEach((group, term) -> text.append(text.length() == 0 ? "" : ", ").append(group).append(' ')
        .append(term.leader()));
    return text.toString();
  }

  /**
   * One line for the run's summary: how many elections (term increases, summed over the groups) and leader moves
   * happened between this reading and {@code after}, naming each group that changed.
   */
  public String changesUntil(GroupTerms after) {
    if (groups.isEmpty() || after.groups.isEmpty()) {
      return "unknown (no /v1/cluster answer before and after the run)";
    }
    long elections = 0;
    int moved = 0;
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, Term> entry : groups.entrySet()) {
      Term was = entry.getValue();
      Term now = after.groups.get(entry.getKey());
      if (now == null) {
        continue;
      }
      long terms = Math.max(0, now.term() - was.term());
      boolean leaderMoved = was.leader() != null && now.leader() != null && !was.leader().equals(now.leader());
      elections += terms;
      moved += leaderMoved ? 1 : 0;
      if (terms > 0 || leaderMoved) {
        changed.add(entry.getKey() + " term " + was.term() + "->" + now.term() + " leader " + was.leader() + "->"
            + now.leader());
      }
    }
    return elections + " new terms, " + moved + " of " + groups.size() + " groups with another leader"
        + (changed.isEmpty() ? "" : ": " + String.join(", ", changed));
  }
}
