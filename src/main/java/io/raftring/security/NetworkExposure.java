package io.raftring.security;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses a node configuration that would open it to the network unprotected: an HTTP API on a non-loopback address
 * without authentication (unless {@code raftring.http.insecure = on}), or Artery on a non-loopback address in plain
 * TCP (unless {@code raftring.cluster.insecure-transport = on}). Whoever reaches an open HTTP port can read, write
 * and decommission; whoever reaches a plain Artery port can join the cluster and send any node any message. On
 * loopback only processes of this machine can, which is the development default.
 */
public final class NetworkExposure {

  private NetworkExposure() {}

  /**
   * Why an HTTP API bound to {@code host} must not start; empty when it may: on loopback, with authentication, or
   * when the operator set {@code raftring.http.insecure}.
   */
  public static Optional<String> httpRefusal(String host, boolean authenticated, boolean insecure) {
    if (authenticated || insecure || isLoopback(host)) {
      return Optional.empty();
    }
    return Optional.of("raftring.http.host = \"" + host + "\" is not a loopback address and authentication is off:"
        + " anyone who reaches the port could read, write and administer the cluster. Set"
        + " raftring.http.auth.tokens-file (README, \"Security\"), bind to 127.0.0.1, or accept the risk with"
        + " raftring.http.insecure = on");
  }

  /** Why a standalone node of {@code config} must not start: its HTTP API, and its cluster transport. */
  public static List<String> nodeRefusals(Config config) {
    List<String> refusals = new ArrayList<>();
    if (config.getBoolean("raftring.http.enabled")) {
      httpRefusal(config.getString("raftring.http.host"),
          !config.getString("raftring.http.auth.tokens-file").isBlank(),
          config.getBoolean("raftring.http.insecure")).ifPresent(refusals::add);
    }
    String transport = config.getString("akka.remote.artery.transport");
    if (!transport.equals("tls-tcp") && !config.getBoolean("raftring.cluster.insecure-transport")) {
      String canonical = config.getString("akka.remote.artery.canonical.hostname");
      String bind = config.getString("akka.remote.artery.bind.hostname");
      for (String host : bind.isBlank() ? List.of(canonical) : List.of(canonical, bind)) {
        if (!isLoopback(host)) {
          refusals.add("Artery listens on \"" + host + "\", not a loopback address, with transport " + transport
              + ": anyone who reaches the port could join the cluster. Set akka.remote.artery.transport = tls-tcp"
              + " with raftring.tls (README, \"Security\"), or accept the risk with"
              + " raftring.cluster.insecure-transport = on");
          break;
        }
      }
    }
    return refusals;
  }

  /** Whether {@code host} is a loopback address or a name of one; a name that does not resolve is not. */
  public static boolean isLoopback(String host) {
    if (host.isBlank()) {
      return false;
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      for (InetAddress address : addresses) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
