package io.raftring.http;

import com.typesafe.config.Config;

/**
 * Bounds on a JSON request body, checked before any tree is built (see {@link Json#readBounded}): jackson-databind
 * 2.11 builds trees recursively and has no nesting limit of its own, so a body of ten thousand '[' overflows the
 * thread's stack; and a number of many digits costs quadratic time to convert.
 *
 * @param maxDepth  most nested objects and arrays ({@code raftring.http.json.max-depth})
 * @param maxBytes  largest body, in bytes ({@code raftring.http.json.max-bytes})
 */
public record JsonLimits(int maxDepth, int maxBytes) {

  /** The reference.conf defaults. */
  public static final JsonLimits DEFAULT = new JsonLimits(32, 256 * 1024);

  /** The longest number accepted, in characters: far beyond any int, long or double a request carries. */
  public static final int MAX_NUMBER_CHARS = 64;

  public JsonLimits {
    if (maxDepth < 1 || maxBytes < 2) {
      throw new IllegalArgumentException(
          "raftring.http.json.max-depth must be >= 1 and max-bytes >= 2, were " + maxDepth + " and " + maxBytes);
    }
  }

  /** From {@code raftring.http.json}. */
  static JsonLimits fromConfig(Config json) {
    long maxBytes = json.getBytes("max-bytes");
    if (maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("raftring.http.json.max-bytes is too large: " + maxBytes);
    }
    return new JsonLimits(json.getInt("max-depth"), (int) maxBytes);
  }
}
