package io.raftring.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.cluster.GroupMembership;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Membership changes of one group by hand, each a single-server change made by the group's leader:
 *
 * <ul>
 *   <li>{@code POST /v1/admin/groups/{group}/learners/{node}}: add {@code node} as a learner;
 *   <li>{@code POST /v1/admin/groups/{group}/voters/{node}}: add it as a learner, then promote it once caught up;
 *   <li>{@code DELETE /v1/admin/groups/{group}/members/{node}}: remove a voter or learner (the leader too);
 *   <li>{@code POST /v1/admin/groups/{group}/leader/{node}}: transfer leadership to the voter {@code node}.
 * </ul>
 *
 * <p>200 with {@code {"group", "index", "voters", "learners", "leader"}} once the change is committed; 400 for an
 * impossible request (unknown group or node, removing the last voter, promoting a non-learner), 409 while another
 * change or a transfer is in progress, 503 before the leader's NO-OP commits or while a learner is not caught up,
 * 504 when the outcome is unknown.
 */
public final class MembershipRoutes extends AllDirectives {

  private final GroupMembership membership;
  private final Duration timeout;
  private final HttpErrors errors;

  public MembershipRoutes(GroupMembership membership, HttpSettings settings) {
    this.membership = membership;
    this.timeout = settings.maxRequestTimeout();
    this.errors = new HttpErrors(settings.retryAfter());
  }

  public Route route() {
    return pathPrefix(PathMatchers.segment("v1").slash("admin").slash("groups"), () ->
        pathPrefix(PathMatchers.segment(), group -> concat(
            path(PathMatchers.segment("learners").slash(PathMatchers.segment()), node ->
                post(() -> run(group, node, membership::addLearner))),
            path(PathMatchers.segment("voters").slash(PathMatchers.segment()), node ->
                post(() -> run(group, node, membership::addVoter))),
            path(PathMatchers.segment("members").slash(PathMatchers.segment()), node ->
                delete(() -> run(group, node, membership::remove))),
            path(PathMatchers.segment("leader").slash(PathMatchers.segment()), node ->
                post(() -> run(group, node, membership::transferLeadership))))));
  }

  private interface Change {
    CompletionStage<GroupMembership.Outcome> apply(String group, String node, Duration timeout);
  }

  private Route run(String group, String node, Change change) {
    CompletionStage<HttpResponse> response;
    try {
      response = change.apply(group, node, timeout).toCompletableFuture()
          .orTimeout(timeout.plus(KvRoutes.DEADLINE_GRACE).toMillis(), TimeUnit.MILLISECONDS)
          .handle((outcome, e) -> e != null ? errors.response(e) : ok(render(outcome)));
    } catch (RuntimeException e) {
      return complete(errors.response(e));
    }
    return completeWithFuture(response);
  }

  private static ObjectNode render(GroupMembership.Outcome o) {
    ObjectNode json = Json.object().put("group", o.group()).put("index", o.index());
    ArrayNode voters = json.putArray("voters");
    o.voters().forEach(voters::add);
    ArrayNode learners = json.putArray("learners");
    o.learners().forEach(learners::add);
    json.put("leader", o.leader());
    return json;
  }

  private static HttpResponse ok(ObjectNode body) {
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(body));
  }
}
