package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whom a request is from: its peer, or what trusted proxies forwarded, never what a client claims for itself. */
class ClientAddressTest {

  private static final TrustedProxies PROXIES = TrustedProxies.of(List.of("10.0.0.0/24", "fd00::/8"));

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private static String from(String peer, String forwardedFor, String realIp) throws Exception {
    return ClientAddress.of(ip(peer), Optional.ofNullable(forwardedFor), Optional.ofNullable(realIp), PROXIES)
        .getHostAddress();
  }

  @Test
  void aDirectClientIsItsPeerWhateverHeadersItSends() throws Exception {
    assertThat(from("192.0.2.7", "127.0.0.1", "198.51.100.1")).isEqualTo("192.0.2.7");
  }

  @Test
  void behindATrustedProxyTheClientIsTheNearestUntrustedForwardedAddress() throws Exception {
    assertThat(from("10.0.0.5", "192.0.2.7", null)).isEqualTo("192.0.2.7");
    // The client sent its own header; the proxies appended the real addresses: read right to left.
    assertThat(from("10.0.0.5", "6.6.6.6, 192.0.2.7, 10.0.0.9", null)).isEqualTo("192.0.2.7");
    assertThat(from("fd00::1", "[2001:db8::7]", null)).isEqualTo("2001:db8:0:0:0:0:0:7");
  }

  @Test
  void behindATrustedProxyWithoutXForwardedForTheRealIpHeaderCounts() throws Exception {
    assertThat(from("10.0.0.5", null, "192.0.2.8")).isEqualTo("192.0.2.8");
    assertThat(from("10.0.0.5", null, "not-an-ip")).isEqualTo("10.0.0.5");
  }

  @Test
  void garbageInTheChainStopsTrustAtTheLastHopThatMadeSense() throws Exception {
    assertThat(from("10.0.0.5", "192.0.2.7, evil.example, 10.0.0.9", null)).isEqualTo("10.0.0.9");
    assertThat(from("10.0.0.5", "999.1.1.1", null)).isEqualTo("10.0.0.5");
  }

  @Test
  void trustedProxiesAreAddressesOrCidrBlocksNeverNames() {
    TrustedProxies proxies = TrustedProxies.of(List.of("192.168.1.1", "172.16.0.0/12", "::1"));
    assertThat(proxies.contains(InetAddress.getLoopbackAddress())).isFalse();
    assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.example.com")))
        .hasMessageContaining("is not an IP address or CIDR block");
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33"))).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> TrustedProxies.of(List.of("256.0.0.1"))).hasMessageContaining("not an IP address");
    assertThat(TrustedProxies.of(List.of()).isEmpty()).isTrue();
  }

  @Test
  void aCidrBlockHoldsExactlyItsPrefix() throws Exception {
    TrustedProxies proxies = TrustedProxies.of(List.of("172.16.0.0/12"));
    assertThat(proxies.contains(ip("172.31.255.255"))).isTrue();
    assertThat(proxies.contains(ip("172.32.0.0"))).isFalse();
    assertThat(proxies.contains(ip("172.15.255.255"))).isFalse();
    assertThat(proxies.contains(ip("::ffff:172.16.0.1"))).as("IPv4-mapped IPv6 is the IPv4 address").isTrue();
  }
}
