package io.raftring.security;

import java.util.Locale;

/**
 * What a caller of the HTTP API may do. Each role includes the ones before it, as in Consul's ACLs (write implies
 * read) and etcd's root role (admin may do everything):
 *
 * <ul>
 *   <li>{@link #READ}: reads of keys and ranges, cluster status and placement, metrics;
 *   <li>{@link #WRITE}: also puts, deletes and compare-and-set;
 *   <li>{@link #ADMIN}: also the admin endpoints: membership by hand, decommission, rate limits, BFT runs, and any
 *       route the access table does not name.
 * </ul>
 */
public enum Role {
  READ,
  WRITE,
  ADMIN;

  /** Whether a caller holding this role may do what {@code needed} allows. */
  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The role's name in files and messages: read, write, admin. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code read}, {@code write} or {@code admin} (any case). */
  public static Role parse(String label) {
    for (Role role : values()) {
      if (role.label().equalsIgnoreCase(label)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + label + "' (expected read, write or admin)");
  }
}
