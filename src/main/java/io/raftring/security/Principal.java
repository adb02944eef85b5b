package io.raftring.security;

import java.util.Objects;

/**
 * An authenticated caller: the name its token was given in the tokens file and its role. The name is the caller's
 * identity wherever one is needed (rate limits, logs); several tokens may share a name while one replaces another.
 */
public record Principal(String name, Role role) {

  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }
}
