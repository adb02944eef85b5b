package io.raftring.security;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The valid tokens, as the tokens file lists them: one line per token, {@code NAME ROLE sha256:HEX}; blank lines and
 * lines starting with {@code #} are ignored. Several lines may share a name (an old and a new token while one
 * replaces the other); a digest may appear only once.
 *
 * <p>{@link #authenticate} compares the presented token's digest with every stored digest in constant time and never
 * stops early, so its timing says neither whether nor where a token matched.
 */
public final class TokenRegistry {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  private record Entry(Principal principal, byte[] digest) {}

  private final List<Entry> entries;

  private TokenRegistry(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Parses the text of a tokens file; IllegalArgumentException naming the line when one is malformed. */
  public static TokenRegistry parse(String text) {
    List<Entry> entries = new ArrayList<>();
    Set<String> digests = new HashSet<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        String[] fields = line.split("\\s+");
        if (fields.length != 3) {
          throw new IllegalArgumentException("expected NAME ROLE sha256:HEX, found " + fields.length + " fields");
        }
        if (!NAME.matcher(fields[0]).matches()) {
          throw new IllegalArgumentException("a name is 1-64 letters, digits, '.', '_', '@' or '-', was '"
              + fields[0] + "'");
        }
        Role role = Role.parse(fields[1]);
        byte[] digest = BearerTokens.parseHash(fields[2]);
        if (!digests.add(fields[2])) {
          throw new IllegalArgumentException("the same token hash is listed twice");
        }
        entries.add(new Entry(new Principal(fields[0], role), digest));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return new TokenRegistry(entries);
  }

  /** One line of a tokens file for {@code token}, issued to {@code name} with {@code role}. */
  public static String line(String name, Role role, String token) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a name is 1-64 letters, digits, '.', '_', '@' or '-', was '" + name + "'");
    }
    return name + " " + role.label() + " " + BearerTokens.hash(token);
  }

  /** The caller {@code token} belongs to, if it is listed. */
  public Optional<Principal> authenticate(String token) {
    byte[] presented = BearerTokens.digest(token);
    Principal found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
        found = entry.principal();
      }
    }
    return Optional.ofNullable(found);
  }

  public int size() {
    return entries.size();
  }
}
