package io.raftring.kv;

import java.nio.charset.CharacterCodingException;
import java.util.Base64;

/**
 * The continuation token of a range: the first key of the next page, as an opaque URL-safe string. It names a key,
 * not a position, so writes between pages neither skip nor repeat keys that were there all along.
 *
 * <p>Format: '1' (the token format version), then the key's UTF-8 bytes in unpadded base64url.
 */
public final class KvPageToken {

  private static final char FORMAT_V1 = '1';

  private KvPageToken() {}

  /** The token that makes a range start at {@code nextKey}. */
  public static String encode(String nextKey) {
    KeyChecks.requireKey(nextKey, "next key");
    return FORMAT_V1 + Base64.getUrlEncoder().withoutPadding().encodeToString(StrictUtf8.encode(nextKey));
  }

  /** The key a token names; anything that {@link #encode} did not produce is a BAD_REQUEST. */
  public static String decode(String token) {
    if (token == null || token.length() < 2 || token.charAt(0) != FORMAT_V1) {
      throw KvValidationException.badRequest("malformed page token");
    }
    byte[] utf8;
    try {
      utf8 = Base64.getUrlDecoder().decode(token.substring(1));
    } catch (IllegalArgumentException e) {
      throw KvValidationException.badRequest("malformed page token");
    }
    try {
      String key = StrictUtf8.decode(utf8, 0, utf8.length);
      if (key.isEmpty()) {
        throw KvValidationException.badRequest("malformed page token");
      }
      return key;
    } catch (CharacterCodingException e) {
      throw KvValidationException.badRequest("malformed page token");
    }
  }
}
