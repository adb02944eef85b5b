package io.raftring.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: made from 256 random bits, stored only as their SHA-256 digest.
 *
 * <p>A fast digest is enough here because the tokens are random, not chosen by people: with 2^256 possible tokens a
 * stolen digest cannot be reversed by guessing, so a slow password hash (bcrypt, as etcd uses for user passwords)
 * would only cost every request time. The prefix {@code rrt_} lets secret scanners recognise a leaked token.
 */
public final class BearerTokens {

  /** What every generated token starts with. */
  public static final String PREFIX = "rrt_";
  /** How a stored digest starts in the tokens file. */
  public static final String HASH_PREFIX = "sha256:";

  private static final int RANDOM_BYTES = 32;

  private BearerTokens() {}

  /** A new token: {@code rrt_} and 32 random bytes, base64url without padding. */
  public static String generate(SecureRandom random) {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The token's SHA-256 digest. */
  public static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The token's digest as the tokens file stores it: {@code sha256:<64 hex digits>}. */
  public static String hash(String token) {
    return HASH_PREFIX + HexFormat.of().formatHex(digest(token));
  }

  /** The digest in a stored hash {@code sha256:<hex>}; IllegalArgumentException when it is not one. */
  public static byte[] parseHash(String hash) {
    if (!hash.startsWith(HASH_PREFIX) || hash.length() != HASH_PREFIX.length() + 64) {
      throw new IllegalArgumentException("a token hash is sha256: and 64 hex digits, was '" + hash + "'");
    }
    try {
      return HexFormat.of().parseHex(hash.substring(HASH_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a token hash is sha256: and 64 hex digits, was '" + hash + "'");
    }
  }
}
