package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.security.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

  private static Optional<Role> required(String method, String path) {
    List<String> segments = path.equals("/") ? List.of() : List.of(path.substring(1).split("/", -1));
    return AccessPolicy.required(method, segments).role();
  }

  @Test
  void healthProbesAreOpenToEveryone() {
    assertThat(required("GET", "/health/alive")).isEmpty();
    assertThat(required("GET", "/health/ready")).isEmpty();
    assertThat(required("HEAD", "/health/alive")).isEmpty();
    assertThat(required("POST", "/health/alive")).contains(Role.ADMIN);
  }

  @Test
  void theDashboardsFilesAreOpenButWhatItShowsNeedsRead() {
    assertThat(required("GET", "/ui")).isEmpty();
    assertThat(required("GET", "/ui/dashboard.js")).isEmpty();
    assertThat(required("POST", "/ui/dashboard.js")).contains(Role.ADMIN);
    assertThat(required("GET", "/v1/cluster/members")).contains(Role.READ);
    assertThat(required("GET", "/v1/cluster/ring")).contains(Role.READ);
    assertThat(required("GET", "/v1/cluster/requests")).contains(Role.READ);
  }

  @Test
  void readingKeysClusterStatusAndMetricsNeedsRead() {
    assertThat(required("GET", "/v1/kv/greeting")).contains(Role.READ);
    assertThat(required("GET", "/v1/kv")).contains(Role.READ);
    assertThat(required("HEAD", "/v1/kv/greeting")).contains(Role.READ);
    assertThat(required("GET", "/v1/cluster")).contains(Role.READ);
    assertThat(required("GET", "/v1/cluster/placement")).contains(Role.READ);
    assertThat(required("GET", "/metrics")).contains(Role.READ);
  }

  @Test
  void changingKeysNeedsWrite() {
    assertThat(required("PUT", "/v1/kv/greeting")).contains(Role.WRITE);
    assertThat(required("DELETE", "/v1/kv/greeting")).contains(Role.WRITE);
    assertThat(required("POST", "/v1/kv/greeting")).contains(Role.WRITE);
    assertThat(required("PUT", "/v1/ev/greeting")).contains(Role.WRITE);
    assertThat(required("DELETE", "/v1/ev/greeting")).contains(Role.WRITE);
  }

  @Test
  void readingTheEventualKeyspaceNeedsRead() {
    assertThat(required("GET", "/v1/ev/greeting")).contains(Role.READ);
  }

  @Test
  void runningATransactionNeedsWriteAndAskingHowOneEndedNeedsRead() {
    assertThat(required("POST", "/v1/txn")).contains(Role.WRITE);
    assertThat(required("GET", "/v1/txn/g1-1700000000000-1-0-n1")).contains(Role.READ);
  }

  @Test
  void watchingAndReadingLeasesLocksAndLeadersNeedsReadTheRestWrite() {
    assertThat(required("GET", "/v1/watch")).contains(Role.READ);
    assertThat(required("POST", "/v1/watch")).as("many watches on one stream").contains(Role.READ);
    assertThat(required("GET", "/v1/watch/ws")).as("watches created and cancelled on a WebSocket")
        .contains(Role.READ);
    assertThat(required("GET", "/v1/leases/2a")).contains(Role.READ);
    assertThat(required("GET", "/v1/locks/job")).contains(Role.READ);
    assertThat(required("GET", "/v1/elections/primary")).contains(Role.READ);
    assertThat(required("POST", "/v1/leases")).contains(Role.WRITE);
    assertThat(required("POST", "/v1/leases/2a/keepalive")).contains(Role.WRITE);
    assertThat(required("DELETE", "/v1/leases/2a")).contains(Role.WRITE);
    assertThat(required("POST", "/v1/locks/job")).contains(Role.WRITE);
    assertThat(required("PUT", "/v1/elections/primary")).contains(Role.WRITE);
  }

  @Test
  void membershipDecommissionRateLimitsBftAndTestRoutesNeedAdmin() {
    assertThat(required("POST", "/v1/admin/groups/g1/voters/n4")).contains(Role.ADMIN);
    assertThat(required("GET", "/v1/admin/rate-limits")).contains(Role.ADMIN);
    assertThat(required("PUT", "/v1/admin/rate-limits")).contains(Role.ADMIN);
    assertThat(required("POST", "/v1/cluster/nodes/n4/decommission")).contains(Role.ADMIN);
    assertThat(required("GET", "/v1/cluster/nodes/n4/decommission")).contains(Role.ADMIN);
    assertThat(required("POST", "/v1/bft/run")).contains(Role.ADMIN);
    assertThat(required("POST", "/v1/test/partition")).contains(Role.ADMIN);
  }

  @Test
  void aPathNoRuleNamesNeedsAdminSoANewRouteStartsClosed() {
    assertThat(required("GET", "/v1/unrouted")).contains(Role.ADMIN);
    assertThat(required("GET", "/v1/kvx/k")).contains(Role.ADMIN);
    assertThat(required("GET", "/")).contains(Role.ADMIN);
    assertThat(required("GET", "/healthz")).contains(Role.ADMIN);
    assertThat(required("GET", "/V1/kv/k")).contains(Role.ADMIN);
  }
}
