package io.raftring.http;

import akka.actor.typed.ActorSystem;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.RaftRing;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.cluster.GroupConfigurations;
import io.raftring.cluster.NodeRoles;
import io.raftring.cluster.PlacementDriver;
import io.raftring.dashboard.ClusterRequestStats;
import io.raftring.dashboard.NodeRequestStats;
import io.raftring.dashboard.NodeStates;
import io.raftring.dashboard.RequestSample;
import io.raftring.dashboard.RequestTotals;
import io.raftring.dashboard.RingView;
import io.raftring.ring.HashRing;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The cluster dashboard: a page at {@code /ui} (static HTML, CSS and JavaScript from the jar, open to everyone since
 * they hold no data) and the JSON it polls besides {@code /v1/cluster}, {@code /v1/cluster/placement} and
 * {@code ?explain=true}. Those live under {@code /v1/cluster}, so they need role read like the rest of it:
 *
 * <ul>
 *   <li>{@code GET /v1/cluster/members}: every known node's state as this node sees it ({@link NodeStates}), the
 *       groups each leads and hosts, and which members this node cannot reach;
 *   <li>{@code GET /v1/cluster/ring}: the node ring's virtual-node points and each group's arc on it, and the key
 *       ring's arcs by group ({@link RingView}); changes only when the ring's nodes do;
 *   <li>{@code GET /v1/cluster/requests?since=EPOCH_SECOND}: each node's KV requests per second, p50/p99 latency and
 *       errors by code over the last minutes, one sample a second ({@link ClusterRequestStats}).
 * </ul>
 *
 * <p>All three read what the node keeps anyway (its cluster view, the placement driver's status, counters) and ask
 * no replica: polling them costs the write path nothing.
 */
public final class DashboardRoutes extends AllDirectives {

  /** Where the page's files are on the classpath. */
  static final String ASSETS = "raftring/ui";

  /** Most arcs the key ring is drawn with; a larger ring is sampled (a picture, not every boundary). */
  static final int MAX_KEY_ARCS = 4096;

  /**
   * The page runs only its own scripts and talks only to its own node; it may not be framed, so another site cannot
   * overlay it. Nothing on it is cached stale after an upgrade.
   */
  private static final List<HttpHeader> ASSET_HEADERS = List.of(
      RawHeader.create("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self';"
          + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Referrer-Policy", "no-referrer"),
      RawHeader.create("Cache-Control", "no-cache"));

  private final ActorSystem<?> system;
  private final RaftRing ring;
  private final Duration askTimeout;
  private final HttpErrors errors;

  /**
   * @param totals this node's KV request counters, sampled once a second by its {@link ClusterRequestStats} agent
   */
  public DashboardRoutes(ActorSystem<?> system, RaftRing ring, Supplier<RequestTotals> totals, HttpSettings settings) {
    this.system = system;
    this.ring = ring;
    // A dashboard polls once a second: a node or driver that has not answered within one poll is reported missing.
    this.askTimeout = min(settings.requestTimeout(), Duration.ofSeconds(1));
    this.errors = new HttpErrors(settings.retryAfter());
    ClusterRequestStats.get(system).startLocal(ring.nodeName(), totals);
  }

  public Route route() {
    return concat(staticFiles(this), handleExceptions(errors.exceptionHandler(), () -> get(() ->
        pathPrefix(PathMatchers.segment("v1").slash("cluster"), () -> concat(
            path("members", this::members),
            path("ring", this::ring),
            path("requests", () -> parameterOptional("since", this::requests)))))));
  }

  /**
   * GET /ui redirects to /ui/, which is index.html; /ui/FILE is the file. Alone (without a RaftRing node behind the
   * server) the page loads and says what it cannot fetch.
   */
  static Route staticFiles(AllDirectives d) {
    return d.get(() -> d.pathPrefix("ui", () -> d.concat(
        d.pathEnd(() -> d.redirect(Uri.create("/ui/"), StatusCodes.PERMANENT_REDIRECT)),
        d.respondWithHeaders(ASSET_HEADERS, () -> d.concat(
            d.pathSingleSlash(() -> d.getFromResource(ASSETS + "/index.html")),
            d.getFromResourceDirectory(ASSETS))))));
  }

  private Route members() {
    return answer(placement().thenApply(placement -> {
      Cluster cluster = Cluster.get(system);
      Map<String, NodeStates.Member> members = new HashMap<>();
      Set<Member> unreachable = cluster.state().getUnreachable();
      Set<String> unreachableNodes = new TreeSet<>();
      for (Member member : cluster.state().getMembers()) {
        String node = NodeRoles.nodeOf(member, RaftRing.NODE_ROLE_PREFIX);
        if (node != null) {
          boolean reachable = !unreachable.contains(member);
          members.put(node, new NodeStates.Member(membership(member.status()), reachable));
          if (!reachable) {
            unreachableNodes.add(node);
          }
        }
      }
      Set<String> known = new TreeSet<>(ring.settings().nodes());
      known.addAll(ring.configurations().nodesInConfigurations());
      Map<String, String> leaders = new HashMap<>();
      Map<String, List<String>> replicas = new HashMap<>();
      for (String group : ring.placement().groups()) {
        GroupConfigurations.View view = ring.configurations().view(group);
        if (view != null && view.leader() != null) {
          leaders.put(group, view.leader());
        }
        replicas.put(group, ring.configurations().membersOf(group));
      }
      List<NodeStates.NodeState> states = NodeStates.of(new NodeStates.Observed(known, members,
          placement.map(p -> Set.copyOf(p.decommissioned())).orElse(Set.of()),
          placement.map(PlacementDriver.PlacementStatus::absentSeconds).orElse(Map.of()), leaders, replicas));

      ObjectNode json = Json.object().put("node", ring.nodeName())
          .put("self_status", cluster.selfMember().status().toString().toLowerCase(java.util.Locale.ROOT));
      ArrayNode nodes = json.putArray("nodes");
      for (NodeStates.NodeState state : states) {
        nodes.addObject().put("node", state.node()).put("state", state.state().label())
            .put("absent_seconds", state.absentSeconds()).put("leads", state.leads()).put("hosts", state.hosts());
      }
      unreachableNodes.forEach(json.putArray("unreachable_from_here")::add);
      json.put("placement_known", placement.isPresent());
      return json;
    }));
  }

  private Route ring() {
    return answer(placement().thenApply(placement -> {
      int virtualNodes = ring.settings().virtualNodes();
      int replicationFactor = ring.settings().replicationFactor();
      // The ring the placement driver places groups on now; without its answer, the configured nodes'.
      HashRing nodeRing = placement
          .map(p -> HashRing.of(p.placementNodes(), virtualNodes))
          .filter(r -> !r.members().isEmpty())
          .orElse(ring.placement().nodeRing());
      ObjectNode json = Json.object().put("node", ring.nodeName())
          .put("ring_size", RingView.RING_SIZE)
          .put("virtual_nodes", virtualNodes)
          .put("replication_factor", replicationFactor);
      ObjectNode points = json.putObject("node_points");
      nodeRing.members().forEach(points::putArray);
      for (HashRing.Point point : nodeRing.points()) {
        ((ArrayNode) points.get(point.member())).add(point.position());
      }
      ArrayNode groups = json.putArray("groups");
      for (RingView.GroupArc arc : RingView.groupArcs(nodeRing, ring.placement().groups(), replicationFactor)) {
        ObjectNode group = groups.addObject().put("group", arc.group()).put("position", arc.position())
            .put("end", arc.end());
        arc.replicas().forEach(group.putArray("replicas")::add);
        ArrayNode picked = group.putArray("picked");
        arc.picked().forEach(p -> picked.addArray().add(p.position()).add(p.member()));
      }
      RingView.KeyArcs keyArcs = RingView.keyArcs(ring.placement().groupRing(), MAX_KEY_ARCS);
      ArrayNode arcs = json.putArray("key_arcs");
      for (RingView.KeyArc arc : keyArcs.arcs()) {
        arcs.addArray().add(arc.start()).add(arc.end()).add(arc.group());
      }
      json.put("key_arcs_sampled", keyArcs.sampled());
      return json;
    }));
  }

  private Route requests(Optional<String> since) {
    long sinceSecond = since.map(DashboardRoutes::epochSecond).orElse(0L);
    return answer(ClusterRequestStats.get(system).gather(sinceSecond, askTimeout).thenApply(byNode -> {
      ObjectNode json = Json.object().put("node", ring.nodeName())
          .put("interval_seconds", NodeRequestStats.INTERVAL.toSeconds());
      ObjectNode nodes = json.putObject("nodes");
      byNode.forEach((node, samples) -> {
        ArrayNode series = nodes.putArray(node);
        for (RequestSample s : samples) {
          ObjectNode sample = series.addObject().put("t", s.epochSecond()).put("rps", s.requestsPerSecond())
              .put("p50_ms", s.p50Millis()).put("p99_ms", s.p99Millis());
          ObjectNode errorsByCode = sample.putObject("errors");
          s.errorsPerSecond().forEach(errorsByCode::put);
        }
      });
      return json;
    }));
  }

  private static long epochSecond(String value) {
    try {
      long second = Long.parseLong(value);
      if (second >= 0) {
        return second;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new RaftRingException(ErrorCode.BAD_REQUEST,
        "since must be a time in whole seconds since the epoch, 0 or more, was '" + value + "'");
  }

  /** The placement driver's status, or empty when it is off or did not answer in time. */
  private CompletionStage<Optional<PlacementDriver.PlacementStatus>> placement() {
    CompletableFuture<Optional<PlacementDriver.PlacementStatus>> answer = new CompletableFuture<>();
    ring.placementStatus(askTimeout).whenComplete((status, e) -> answer.complete(Optional.ofNullable(status)));
    return answer;
  }

  private Route answer(CompletionStage<ObjectNode> body) {
    return completeWithFuture(body.handle((json, e) -> e != null
        ? errors.response(e)
        : HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(json))));
  }

  private static NodeStates.Membership membership(MemberStatus status) {
    if (status == MemberStatus.up()) {
      return NodeStates.Membership.UP;
    }
    if (status == MemberStatus.joining() || status == MemberStatus.weaklyUp()) {
      return NodeStates.Membership.JOINING;
    }
    if (status == MemberStatus.down()) {
      return NodeStates.Membership.DOWN;
    }
    return NodeStates.Membership.LEAVING;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
