package io.raftring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupTermsTest {

  private static String cluster(String g0Leader, long g0Term, String g1Leader, long g1Term) {
    return "{\"node\":\"n1\",\"groups\":["
        + "{\"group\":\"g0\",\"leader\":" + (g0Leader == null ? "null" : "\"" + g0Leader + "\"") + ",\"term\":" + g0Term
        + ",\"replica_status\":[]},"
        + "{\"group\":\"g1\",\"leader\":\"" + g1Leader + "\",\"term\":" + g1Term + "}]}";
  }

  @Test
  void aRunWithoutElectionsSaysSo() throws Exception {
    GroupTerms before = GroupTerms.parse(cluster("n1", 2, "n2", 3));

    assertThat(before.changesUntil(GroupTerms.parse(cluster("n1", 2, "n2", 3))))
        .isEqualTo("0 new terms, 0 of 2 groups with another leader");
  }

  @Test
  void electionsAreCountedByTermAndMovesByLeader() throws Exception {
    GroupTerms before = GroupTerms.parse(cluster("n1", 2, "n2", 3));

    String changes = before.changesUntil(GroupTerms.parse(cluster("n3", 4, "n2", 4)));

    assertThat(changes).startsWith("3 new terms, 1 of 2 groups with another leader: ")
        .contains("g0 term 2->4 leader n1->n3", "g1 term 3->4 leader n2->n2");
  }

  @Test
  void itKnowsWhichGroupsTheReportingNodeLeads() throws Exception {
    GroupTerms terms = GroupTerms.parse(cluster("n1", 2, "n2", 3));

    assertThat(terms.node()).isEqualTo("n1");
    assertThat(terms.ledHere("g0")).isTrue();
    assertThat(terms.ledHere("g1")).isFalse();
    assertThat(terms.ledHere("g9")).isFalse();
  }

  @Test
  void withoutAReadingEitherSideTheAnswerIsUnknown() throws Exception {
    GroupTerms none = new GroupTerms(null, java.util.Map.of());

    assertThat(none.changesUntil(GroupTerms.parse(cluster(null, 1, "n2", 1)))).startsWith("unknown");
  }
}
