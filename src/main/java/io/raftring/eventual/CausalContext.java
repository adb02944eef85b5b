package io.raftring.eventual;

import java.util.Base64;

/**
 * The causal context a client carries between a read and its next write: the read value's clock as URL-safe base64
 * of {@link VersionVector#toBytes}, opaque to the client. A write that passes it back supersedes exactly the siblings
 * that read returned (and anything they had superseded).
 */
public final class CausalContext {

  private CausalContext() {}

  public static String encode(VersionVector clock) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(clock.toBytes());
  }

  /**
   * The clock a context names; an empty string is the empty context ("I saw nothing"). Malformed or longer than
   * {@code maxBytes} is an {@link IllegalArgumentException} saying why.
   */
  public static VersionVector decode(String context, int maxBytes) {
    if (context.length() > maxBytes) {
      throw new IllegalArgumentException("the causal context is " + context.length() + " characters, the limit is "
          + maxBytes);
    }
    if (context.isEmpty()) {
      return VersionVector.EMPTY;
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(context.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the causal context is not URL-safe base64");
    }
    try {
      return VersionVector.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the causal context is not one this keyspace made: " + e.getMessage());
    }
  }
}
