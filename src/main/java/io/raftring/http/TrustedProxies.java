package io.raftring.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose forwarding headers a node believes ({@code raftring.http.trusted-proxies}): addresses or CIDR
 * blocks, IPv4 or IPv6, e.g. {@code ["10.0.0.5", "10.1.0.0/16", "fd00::/8"]}. Empty by default: then no client can
 * name its own address.
 */
public final class TrustedProxies {

  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private record Block(byte[] network, int prefixBits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int fullBytes = prefixBits / 8;
      for (int i = 0; i < fullBytes; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }
  }

  private final List<Block> blocks;
  private final List<String> specs;

  private TrustedProxies(List<String> specs) {
    this.specs = List.copyOf(specs);
    List<Block> parsed = new ArrayList<>();
    for (String spec : specs) {
      parsed.add(parse(spec));
    }
    this.blocks = List.copyOf(parsed);
  }

  /** @throws IllegalArgumentException naming an entry that is not an IP address or CIDR block */
  public static TrustedProxies of(List<String> specs) {
    return specs.isEmpty() ? NONE : new TrustedProxies(specs);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    for (Block block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  private static Block parse(String spec) {
    String trimmed = spec.strip();
    int slash = trimmed.indexOf('/');
    String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] network = literal(host, spec);
    int bits = network.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > network.length * 8) {
        throw new IllegalArgumentException("raftring.http.trusted-proxies: bad prefix length in '" + spec + "'");
      }
    }
    return new Block(network, bits);
  }

  /** The bytes of an IP literal; never a DNS lookup (a name would make trust depend on the resolver). */
  static byte[] literal(String host, String spec) {
    if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      String[] parts = host.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(parts[i]);
        if (octet > 255) {
          throw notAnAddress(spec);
        }
        bytes[i] = (byte) octet;
      }
      return bytes;
    }
    if (host.contains(":") && host.matches("[0-9A-Fa-f:.]+")) {
      try {
        // With a ':' the JDK parses an IPv6 literal or throws; it never asks DNS. An IPv4-mapped one comes back
        // as the IPv4 address, as the connection's peer would.
        return InetAddress.getByName(host).getAddress();
      } catch (UnknownHostException e) {
        throw notAnAddress(spec);
      }
    }
    throw notAnAddress(spec);
  }

  private static IllegalArgumentException notAnAddress(String spec) {
    return new IllegalArgumentException(
        "raftring.http.trusted-proxies: '" + spec + "' is not an IP address or CIDR block");
  }

  @Override
  public String toString() {
    return specs.toString();
  }
}
