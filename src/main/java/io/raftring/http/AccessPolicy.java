package io.raftring.http;

import io.raftring.security.Role;
import java.util.List;
import java.util.Optional;

/**
 * The one table of who may call what: the role each request needs, by its path's leading segments and its method.
 * The first rule that matches decides; a request no rule names needs {@link Role#ADMIN}, so a route added without a
 * rule here is closed to everyone but admins until someone decides otherwise (deny by default). Paths are matched as
 * akka-http's routes see them (decoded segments of the request's path), so a rule and the route it guards cannot
 * disagree about which route a path reaches.
 *
 * <p>Open to everyone, token or not: {@code /health/alive} and {@code /health/ready}, which load balancers and
 * orchestrators probe without credentials and which reveal only whether the node serves (and, when not ready, why);
 * and the dashboard's static files under {@code /ui}, the same for every cluster.
 */
public final class AccessPolicy {

  /** What a matching request needs: a role, or nothing ({@link #open()}). */
  public record Access(Optional<Role> role) {
    static Access open() {
      return new Access(Optional.empty());
    }

    static Access of(Role role) {
      return new Access(Optional.of(role));
    }

    public boolean isOpen() {
      return role.isEmpty();
    }
  }

  private enum Methods {
    READS,
    ANY;

    boolean matches(String method) {
      return this == ANY || method.equals("GET") || method.equals("HEAD");
    }
  }

  private record Rule(Methods methods, List<String> prefix, Access access) {
    boolean matches(String method, List<String> segments) {
      return methods.matches(method) && segments.size() >= prefix.size()
          && segments.subList(0, prefix.size()).equals(prefix);
    }
  }

  private static final List<Rule> RULES = List.of(
      rule(Methods.READS, "health", Access.open()),
      // The dashboard's page and scripts hold no data; what it shows comes from the routes below, each with its role.
      rule(Methods.READS, "ui", Access.open()),
      rule(Methods.READS, "metrics", Access.of(Role.READ)),
      rule(Methods.READS, "v1/kv", Access.of(Role.READ)),
      rule(Methods.ANY, "v1/kv", Access.of(Role.WRITE)),
      rule(Methods.READS, "v1/ev", Access.of(Role.READ)),
      rule(Methods.ANY, "v1/ev", Access.of(Role.WRITE)),
      // GET /v1/txn/{id} reads a record; POST /v1/txn may write, so it needs write even for a read-only transaction.
      rule(Methods.READS, "v1/txn", Access.of(Role.READ)),
      rule(Methods.ANY, "v1/txn", Access.of(Role.WRITE)),
      // Watching reads, a POST of many watches and the WebSocket of /v1/watch/ws too (a GET, its path under this
      // rule); granting, keeping alive and revoking leases, locking and campaigning write.
      rule(Methods.ANY, "v1/watch", Access.of(Role.READ)),
      rule(Methods.READS, "v1/leases", Access.of(Role.READ)),
      rule(Methods.ANY, "v1/leases", Access.of(Role.WRITE)),
      rule(Methods.READS, "v1/locks", Access.of(Role.READ)),
      rule(Methods.ANY, "v1/locks", Access.of(Role.WRITE)),
      rule(Methods.READS, "v1/elections", Access.of(Role.READ)),
      rule(Methods.ANY, "v1/elections", Access.of(Role.WRITE)),
      rule(Methods.ANY, "v1/cluster/nodes", Access.of(Role.ADMIN)),
      rule(Methods.READS, "v1/cluster", Access.of(Role.READ)),
      rule(Methods.ANY, "v1/admin", Access.of(Role.ADMIN)),
      rule(Methods.ANY, "v1/bft", Access.of(Role.ADMIN)),
      rule(Methods.ANY, "v1/test", Access.of(Role.ADMIN)));

  private static final Access DEFAULT = Access.of(Role.ADMIN);

  private AccessPolicy() {}

  /** What a request with this method and these decoded path segments needs. */
  public static Access required(String method, List<String> segments) {
    for (Rule rule : RULES) {
      if (rule.matches(method, segments)) {
        return rule.access();
      }
    }
    return DEFAULT;
  }

  private static Rule rule(Methods methods, String prefix, Access access) {
    return new Rule(methods, List.of(prefix.split("/")), access);
  }
}
