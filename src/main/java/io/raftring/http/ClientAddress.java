package io.raftring.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where a request came from, as far as the node can tell: the connection's peer, unless that peer is a trusted proxy
 * ({@link TrustedProxies}); then the address the proxies forwarded, read from {@code X-Forwarded-For} right to left
 * (each proxy appends the address it received from), skipping trusted proxies, the first untrusted one being the
 * client; without that header, {@code X-Real-IP}. A client that connects directly cannot name another address, and a
 * proxy's header can name only what lies beyond the proxies trusted to append to it.
 */
final class ClientAddress {

  private ClientAddress() {}

  static InetAddress of(
      InetAddress peer, Optional<String> forwardedFor, Optional<String> realIp, TrustedProxies trusted) {
    if (!trusted.contains(peer)) {
      return peer;
    }
    InetAddress client = peer;
    if (forwardedFor.isPresent()) {
      String[] hops = forwardedFor.get().split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        Optional<InetAddress> hop = parse(hops[i]);
        if (hop.isEmpty()) {
          return client; // garbage in the chain: trust stops at the last hop that made sense
        }
        client = hop.get();
        if (!trusted.contains(client)) {
          return client;
        }
      }
      return client;
    }
    return realIp.flatMap(ClientAddress::parse).orElse(peer);
  }

  /** An IP literal (IPv6 possibly in brackets); anything else, a name or a port, is not taken. */
  private static Optional<InetAddress> parse(String text) {
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    try {
      return Optional.of(InetAddress.getByAddress(TrustedProxies.literal(s, s)));
    } catch (IllegalArgumentException | UnknownHostException e) {
      return Optional.empty();
    }
  }
}
