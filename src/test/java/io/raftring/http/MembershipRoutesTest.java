package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.cluster.GroupMembership;
import io.raftring.cluster.GroupRouter;
import io.raftring.cluster.ReplicaLocator;
import io.raftring.raft.ReplicaId;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin membership endpoints against a fake group whose leader is n1: success is 200 with the configuration,
 * refusals map to 400 / 409 / 503, and unknown groups or nodes are 400 without asking anyone.
 */
class MembershipRoutesTest {

  private static ActorTestKit kit;
  private static BoundRoute server;

  /** A leader n1 of {n1, n2, n3}: adds learners, refuses to remove itself as if it were the last voter, etc. */
  private static ActorRef<ReplicaProtocol.Command> fakeLeader() {
    return kit.spawn(Behaviors.receiveMessage(m -> {
      if (m instanceof ReplicaProtocol.AddLearner a) {
        a.replyTo().tell(new ReplicaProtocol.ChangeDone(4, Set.of("n1", "n2", "n3"), Set.of(a.node())));
      } else if (m instanceof ReplicaProtocol.PromoteLearner p) {
        p.replyTo().tell(new ReplicaProtocol.ChangeDone(5, Set.of("n1", "n2", "n3", p.node()), Set.of()));
      } else if (m instanceof ReplicaProtocol.RemoveServer r) {
        r.replyTo().tell(new ReplicaProtocol.ChangeRejected(ReplicaProtocol.RefusalCode.BAD_REQUEST,
            "cannot remove " + r.node() + ", the last voter of the group"));
      } else if (m instanceof ReplicaProtocol.TransferLeadership t) {
        t.replyTo().tell(new ReplicaProtocol.ChangeRejected(ReplicaProtocol.RefusalCode.CONFLICT,
            "another configuration change is in progress"));
      }
      return Behaviors.same();
    }));
  }

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    ActorRef<ReplicaProtocol.Command> leader = fakeLeader();
    ActorRef<ReplicaProtocol.Command> follower = kit.spawn(Behaviors.receiveMessage(m -> {
      if (m instanceof ReplicaProtocol.AddLearner a) {
        a.replyTo().tell(new ReplicaProtocol.NotLeader("n1"));
      } else if (m instanceof ReplicaProtocol.PromoteLearner p) {
        p.replyTo().tell(new ReplicaProtocol.NotLeader("n1"));
      } else if (m instanceof ReplicaProtocol.RemoveServer r) {
        r.replyTo().tell(new ReplicaProtocol.NotLeader("n1"));
      } else if (m instanceof ReplicaProtocol.TransferLeadership t) {
        t.replyTo().tell(new ReplicaProtocol.NotLeader("n1"));
      }
      return Behaviors.same();
    }));
    ReplicaLocator locator = new ReplicaLocator() {
      @Override
      public RecipientRef<ReplicaProtocol.Command> locate(ReplicaId id) {
        return id.node().equals("n1") ? leader : follower;
      }

      @Override
      public boolean isReachable(ReplicaId id) {
        return true;
      }
    };
    GroupRouter router = new GroupRouter(kit.system(), locator, g -> List.of("n2", "n1", "n3"), "n2");
    GroupMembership membership = new GroupMembership(kit.system(), locator, router, g -> List.of("n2", "n1", "n3"),
        List.of("g0", "g1"), () -> Set.of("n1", "n2", "n3", "n4"));
    server = BoundRoute.bind(kit, new MembershipRoutes(membership, TestServer.SETTINGS).route());
  }

  @AfterAll
  static void stop() {
    server.close();
    kit.shutdownTestKit();
  }

  @Test
  void addingAVoterFollowsTheLeaderHintAddsALearnerThenPromotesIt() throws Exception {
    HttpResponse<String> r = server.send("POST", "/v1/admin/groups/g0/voters/n4");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = BoundRoute.json(r);
    assertThat(body.get("voters").toString()).contains("n4");
    assertThat(body.get("leader").asText()).isEqualTo("n1");
  }

  @Test
  void addingALearnerAnswersWithTheCommittedConfiguration() throws Exception {
    HttpResponse<String> r = server.send("POST", "/v1/admin/groups/g1/learners/n4");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(BoundRoute.json(r).get("learners").get(0).asText()).isEqualTo("n4");
    assertThat(BoundRoute.json(r).get("index").asLong()).isEqualTo(4);
  }

  @Test
  void removingTheLastVoterIsABadRequestAndAConcurrentChangeAConflict() throws Exception {
    HttpResponse<String> last = server.send("DELETE", "/v1/admin/groups/g0/members/n1");
    assertThat(last.statusCode()).isEqualTo(400);
    assertThat(BoundRoute.json(last).get("error").asText()).isEqualTo("BAD_REQUEST");
    assertThat(BoundRoute.json(last).get("message").asText()).contains("last voter");
    HttpResponse<String> busy = server.send("POST", "/v1/admin/groups/g0/leader/n2");
    assertThat(busy.statusCode()).isEqualTo(409);
    assertThat(BoundRoute.json(busy).get("error").asText()).isEqualTo("CONFLICT");
  }

  @Test
  void unknownNodesAndGroupsAreBadRequests() throws Exception {
    HttpResponse<String> node = server.send("POST", "/v1/admin/groups/g0/learners/n9");
    assertThat(node.statusCode()).isEqualTo(400);
    assertThat(BoundRoute.json(node).get("message").asText()).contains("unknown node n9");
    HttpResponse<String> group = server.send("DELETE", "/v1/admin/groups/g77/members/n2");
    assertThat(group.statusCode()).isEqualTo(400);
    assertThat(BoundRoute.json(group).get("message").asText()).contains("unknown group g77");
  }
}
