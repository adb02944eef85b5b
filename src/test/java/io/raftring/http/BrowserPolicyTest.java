package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.http.BrowserPolicy.Verdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrowserPolicyTest {

  private final BrowserPolicy policy = new BrowserPolicy(List.of("https://ops.example.com"), false);

  @Test
  void aRequestWithoutOriginIsNoBrowsersCrossSiteRequest() {
    assertThat(policy.check(Optional.empty(), "db.example.com:8080", "https")).isEqualTo(Verdict.PASS);
  }

  @Test
  void anAllowedOriginGetsCors() {
    assertThat(policy.check(Optional.of("https://ops.example.com"), "db:8080", "https"))
        .isEqualTo(Verdict.CROSS_ORIGIN_ALLOWED);
    assertThat(policy.check(Optional.of("HTTPS://OPS.example.com/"), "db:8080", "https"))
        .isEqualTo(Verdict.CROSS_ORIGIN_ALLOWED);
  }

  @Test
  void anyOtherOriginIsRefused() {
    assertThat(policy.check(Optional.of("https://evil.example"), "127.0.0.1:8080", "http"))
        .isEqualTo(Verdict.ORIGIN_REFUSED);
    assertThat(policy.check(Optional.of("http://ops.example.com"), "db:8080", "https"))
        .as("another scheme is another origin").isEqualTo(Verdict.ORIGIN_REFUSED);
    assertThat(policy.check(Optional.of("null"), "127.0.0.1:8080", "http")).isEqualTo(Verdict.ORIGIN_REFUSED);
  }

  @Test
  void aPageTheNodeItselfServedIsSameOrigin() {
    assertThat(policy.check(Optional.of("https://db.example.com:8080"), "db.example.com:8080", "https"))
        .isEqualTo(Verdict.PASS);
    assertThat(policy.check(Optional.of("http://db.example.com:8080"), "db.example.com:8080", "https"))
        .isEqualTo(Verdict.ORIGIN_REFUSED);
  }

  @Test
  void withoutAuthenticationOnlyLoopbackHostNamesAreServedAgainstDnsRebinding() {
    BrowserPolicy loopback = new BrowserPolicy(List.of(), true);
    assertThat(loopback.check(Optional.empty(), "127.0.0.1:8080", "http")).isEqualTo(Verdict.PASS);
    assertThat(loopback.check(Optional.empty(), "localhost:8080", "http")).isEqualTo(Verdict.PASS);
    assertThat(loopback.check(Optional.empty(), "[::1]:8080", "http")).isEqualTo(Verdict.PASS);
    assertThat(loopback.check(Optional.empty(), "127.0.0.2", "http")).isEqualTo(Verdict.PASS);
    assertThat(loopback.check(Optional.of("http://rebound.example:8080"), "rebound.example:8080", "http"))
        .isEqualTo(Verdict.HOST_REFUSED);
    assertThat(loopback.check(Optional.empty(), "127.0.0.1.evil.example", "http")).isEqualTo(Verdict.HOST_REFUSED);
    assertThat(loopback.check(Optional.empty(), "", "http")).isEqualTo(Verdict.HOST_REFUSED);
  }
}
